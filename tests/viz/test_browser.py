"""The graph page in headless Chromium, opened from a file:// URL as a person would open it.

These tests look at the view with every fact as a node (the page's second view); what the
page shows first is tested in test_first_screen.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ID = "https://w3id.org/vnkg/id/"
VISIT_LC = ID + "visit/5d41402abc4b2a76"
VISIT_SS = ID + "visit/7d793037a0760186"
LC_EVIDENCE = ("Chủ tịch nước Lương Cường sẽ thăm Lào cấp nhà nước trong các ngày 24 - 25.4, "
               "theo lời mời của Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith.")


@pytest.fixture()
def opened(browser, small_page):
    """The small graph's page, freshly loaded, showing every fact as a node."""
    browser.open(small_page.as_uri())
    browser.evaluate("document.querySelector('#view-switch input[value=\"facts\"]').click()")
    return browser


def details(browser) -> str:
    return browser.evaluate("document.getElementById('details').innerText")


def click_node(browser, node_id: str) -> None:
    """A real mouse click on the node where it is drawn."""
    x, y = browser.evaluate(f"""(() => {{
        const box = document.getElementById('cy').getBoundingClientRect();
        const p = vnkg.cy.getElementById({json.dumps(node_id)}).renderedPosition();
        return [box.left + p.x, box.top + p.y];
    }})()""")
    browser.click(x, y)


def test_page_makes_no_network_request_at_all(opened, small_page):
    assert opened.requests() == [small_page.as_uri()], "only the page file itself is read"
    assert opened.console_errors() == []


def test_nodes_are_drawn_and_the_count_matches_the_graph(opened, small_graph):
    expected = len(set(small_graph.query("""
        PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
        SELECT DISTINCT ?s WHERE { ?s a ?c . VALUES ?c { vnkg:Person vnkg:Country vnkg:Organization vnkg:Location
            vnkg:Position vnkg:Visit vnkg:Meeting vnkg:Agreement vnkg:EconomicFigure } }""")))
    assert opened.evaluate("document.getElementById('count-nodes').dataset.count") == str(expected)
    assert opened.evaluate("vnkg.cy.nodes().length") == expected
    painted = opened.evaluate("""(() => {
        let painted = 0;
        for (const canvas of document.querySelectorAll('#cy canvas')) {
            const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
            for (let i = 3; i < pixels.length; i += 4 * 7) if (pixels[i] > 0) painted++;
        }
        return painted;
    })()""")
    assert painted > 2000, "the canvas is not blank"


def test_clicking_a_person_shows_their_facts_with_evidence(opened):
    click_node(opened, ID + "person/luong-cuong")
    opened.wait_for("document.querySelector('#details h2') && "
                    "document.querySelector('#details h2').textContent === 'Lương Cường'")
    text = details(opened)
    assert LC_EVIDENCE in text
    assert "Chủ tịch nước Lương Cường sắp thăm Lào" in text and "001_visit.txt" in text
    assert opened.evaluate("vnkg.cy.$(':selected').map(n => n.id())") == [ID + "person/luong-cuong"]


def test_clicking_a_fact_shows_its_evidence_and_source(opened):
    click_node(opened, ID + "meeting/9e107d9d372bb682")
    opened.wait_for("document.querySelectorAll('#details blockquote').length > 0")
    text = details(opened)
    assert "Thủ tướng Phạm Minh Chính sáng 6/1 hội đàm với Thủ tướng Lào Sonexay Siphandone." in text
    assert "002_talks.txt" in text and "Talks" in text


@pytest.mark.parametrize(("query", "label"), [
    ("pham minh chinh", "Phạm Minh Chính"),
    ("dang nhan dan", "Đảng Nhân dân Cách mạng Lào"),
    ("Siphandone", "Sonexay Siphandone"),
])
def test_search_finds_names_without_diacritics(opened, query, label):
    opened.evaluate("document.getElementById('search').focus()")
    opened.type_text(query)
    first = opened.wait_for("document.querySelector('#search-results li') && "
                            "document.querySelector('#search-results li').innerText")
    assert label in first
    opened.press("Enter", 13)
    opened.wait_for("document.querySelector('#details h2') && document.querySelector('#details h2').textContent")
    assert opened.evaluate("document.querySelector('#details h2').textContent") == label


def test_timeline_lists_visits_in_date_order_and_selects_them(opened, small_graph):
    entries = opened.evaluate("""[...document.querySelectorAll('#timeline-list .tl-entry')]
        .filter(e => e.offsetParent !== null).map(e => [e.dataset.id, e.dataset.kind, e.dataset.start])""")
    visits = [(i, start) for i, kind, start in entries if kind == "visit"]
    assert visits == [(VISIT_SS, "2024-01-06"), (VISIT_LC, "2025-04-24")]
    starts = [start for _, _, start in entries]
    assert starts == sorted(starts)
    opened.evaluate(f"document.querySelector('.tl-entry[data-id=\"{VISIT_LC}\"]').click()")
    assert opened.evaluate("vnkg.cy.$(':selected').map(n => n.id())") == [VISIT_LC]
    assert LC_EVIDENCE in details(opened)


@pytest.mark.parametrize(("action", "nodes", "timeline"), [
    ("document.querySelector('#legend input[data-kind=\"meeting\"]').click()", 20, 2),
    ("const c = document.getElementById('country'); c.value = '" + ID + "country/lao';"
     " c.dispatchEvent(new Event('change'))", 19, 3),
])
def test_type_and_country_filters_narrow_the_graph_and_the_timeline(opened, action, nodes, timeline):
    opened.evaluate(f"(() => {{ {action}; }})()")
    assert opened.evaluate("vnkg.cy.nodes().length") == nodes
    shown = opened.evaluate("[...document.querySelectorAll('#timeline-list .tl-item')].filter(e => !e.hidden).length")
    assert shown == timeline


@pytest.mark.parametrize(("action", "options"), [
    ("const s = document.getElementById('date-from'); s.value = '2025'; s.dispatchEvent(new Event('change'))",
     {"since": "2025"}),
    ("const s = document.getElementById('date-to'); s.value = '2024-06'; s.dispatchEvent(new Event('change'))",
     {"until": "2024-06"}),
    (f"vnkg.setFocus('{ID}person/pham-minh-chinh')", {"focus": "Phạm Minh Chính"}),
    (f"vnkg.setFocus('{ID}country/lao')", {"focus": "Lào"}),
])
def test_page_dates_and_focus_show_what_kg_viz_options_keep(opened, small_graph, action, options):
    from kg.viz.data import graph_to_view

    view = graph_to_view(small_graph, **options)
    opened.evaluate(f"(() => {{ {action}; }})()")
    assert sorted(opened.evaluate("vnkg.cy.nodes().map(n => n.id())")) == sorted(n["id"] for n in view["nodes"])
    shown = opened.evaluate("[...document.querySelectorAll('#timeline-list .tl-entry')]"
                            ".filter(e => !e.parentNode.hidden).map(e => e.dataset.id)")
    assert shown == [e["id"] for e in view["timeline"]]


def test_screenshot_shows_the_graph(opened, tmp_path, png_colours):
    path = opened.screenshot(tmp_path / "graph-page.png")
    assert path.stat().st_size > 20_000
    graph_area = png_colours(path, (260, 80, 1060, 700))
    coloured = sum(n for (r, g, b), n in graph_area.items() if max(r, g, b) - min(r, g, b) > 60)
    assert coloured > 2000, "nodes in their kind colours are on screen"
    assert len(graph_area) > 50


def test_large_page_opens_with_the_most_important_nodes_and_shows_all_on_demand(browser, generated_page):
    browser.open(generated_page.as_uri(), timeout=90)
    browser.evaluate("vnkg.setView('facts')")
    total = browser.evaluate("vnkg.data.stats.nodes")
    shown = browser.evaluate("vnkg.data.shown")
    assert total > shown
    assert browser.evaluate("vnkg.cy.nodes().length") == shown
    assert browser.evaluate("document.getElementById('count-nodes').dataset.count") == str(total)
    browser.evaluate("document.getElementById('show-all').click()")
    assert browser.evaluate("vnkg.cy.nodes().length") == total
    assert browser.requests() == [generated_page.as_uri()]
    assert browser.console_errors() == []


def test_focus_page_opens_on_the_entity(browser, small_graph, tmp_path):
    from kg.viz import write_html

    page = write_html(small_graph, Path(tmp_path) / "focus.html", focus="Thongloun Sisoulith")
    browser.open(page.as_uri())
    assert browser.evaluate("vnkg.state.focus") == ID + "person/thongloun-sisoulith"
    assert browser.evaluate("document.getElementById('focus-label').textContent") == "Thongloun Sisoulith"
    assert "Thongloun Sisoulith" in details(browser) and LC_EVIDENCE in details(browser)
