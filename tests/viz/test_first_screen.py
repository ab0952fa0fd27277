"""What a person sees first, in headless Chromium: who went where and met whom, on a map, in profiles.

The sample articles and a 1,000-article generated corpus are built by the real pipeline; the
tests ask the graph itself (SPARQL) what should be drawn, so they hold whatever the rules find.
"""
from __future__ import annotations

import json

import pytest

ID = "https://w3id.org/vnkg/id/"
PREFIXES = """PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def iris(graph, query: str) -> set[str]:
    return {str(row[0]) for row in graph.query(PREFIXES + query)}


def travels(graph) -> set[str]:
    return iris(graph, "SELECT ?f WHERE { { ?f a vnkg:Visit } UNION { ?f a vnkg:Meeting } }")


def kinds_drawn(browser) -> set[str]:
    return set(browser.evaluate("vnkg.cy.nodes().map(n => n.data('kind'))"))


def label_overlaps(browser) -> list:
    """Pairs of drawn names whose boxes on screen overlap."""
    return browser.evaluate("""(() => {
        const boxes = vnkg.cy.nodes().filter(n => !n.hasClass('hushed') && n.data('label'))
            .map(n => [n.data('label'), n.renderedBoundingBox({includeNodes: false, includeEdges: false, includeLabels: true})]);
        const clashes = [];
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i][1], b = boxes[j][1];
            if (a.x1 < b.x2 - 1 && b.x1 < a.x2 - 1 && a.y1 < b.y2 - 1 && b.y1 < a.y2 - 1) clashes.push([boxes[i][0], boxes[j][0]]);
        }
        return clashes; })()""")


@pytest.fixture()
def samples_page(browser, samples_graph, tmp_path):
    from kg.viz import write_html

    page = write_html(samples_graph, tmp_path / "samples.html")
    browser.open(page.as_uri())
    return page


def test_samples_first_screen_draws_every_visit_and_meeting_and_no_figure(browser, samples_graph, samples_page):
    expected = travels(samples_graph)
    assert expected, "the sample articles report visits and meetings"
    assert set(browser.evaluate("vnkg.drawnFacts()")) == expected
    assert kinds_drawn(browser) <= {"person", "country", "location", "visit", "meeting"}
    people = iris(samples_graph, "SELECT ?p WHERE { { ?f vnkg:visitor ?p } UNION { ?f vnkg:participant ?p } }")
    assert people <= set(browser.evaluate("vnkg.cy.nodes('.person').map(n => n.id())"))
    assert browser.requests() == [samples_page.as_uri()]
    assert browser.console_errors() == []


def test_samples_names_are_legible_and_do_not_overlap(browser, samples_page):
    sizes = browser.evaluate("vnkg.cy.nodes().not('.hushed').map(n => parseFloat(n.style('font-size')) * vnkg.cy.zoom())")
    named = browser.evaluate("vnkg.cy.nodes().not('.hushed').length")
    assert named >= 0.8 * browser.evaluate("vnkg.cy.nodes().length"), "most nodes are named"
    assert min(sizes) >= 11.5, f"names are at least 12 px on screen, not {min(sizes):.1f}"
    assert label_overlaps(browser) == []


def test_other_kinds_are_one_tick_away(browser, samples_graph, samples_page):
    first = set(browser.evaluate("vnkg.cy.nodes().map(n => n.id())"))
    browser.evaluate("document.querySelector('#legend input[data-kind=\"agreement\"]').click()")
    linked = {str(a) for a, end in samples_graph.query(PREFIXES + """SELECT ?a ?end WHERE {
        ?a a vnkg:Agreement . { ?a vnkg:party ?end } UNION { ?a vnkg:signedBy ?end } }""") if str(end) in first}
    drawn = set(browser.evaluate("vnkg.cy.nodes('.agreement').map(n => n.id())"))
    assert linked and drawn == linked, "every agreement of a party or signer on the first screen comes in"
    assert "figure" not in kinds_drawn(browser)
    browser.evaluate("document.querySelector('#view-switch input[value=\"facts\"]').click()")
    assert browser.evaluate("vnkg.cy.nodes().length") == browser.evaluate("vnkg.data.stats.nodes")


def test_large_graph_first_screen_holds_the_most_travelled_people(browser, generated_graph, generated_page):
    browser.open(generated_page.as_uri(), timeout=90)
    shown = browser.evaluate("vnkg.data.shown")
    core = browser.evaluate("vnkg.data.nodes.filter(n => n.core).length")
    assert core > shown, "the graph is larger than what the page draws first"
    counts: dict[str, int] = {}
    for (person,) in generated_graph.query(PREFIXES + """
            SELECT ?p WHERE { { ?f a vnkg:Visit ; vnkg:visitor ?p } UNION { ?f a vnkg:Meeting ; vnkg:participant ?p } }"""):
        counts[str(person)] = counts.get(str(person), 0) + 1
    busiest = sorted(counts, key=lambda p: -counts[p])[:25]
    drawn = set(browser.evaluate("vnkg.cy.nodes('.person').map(n => n.id())"))
    assert set(busiest) <= drawn
    links = browser.evaluate("vnkg.cy.edges('.travel').map(e => e.data('rel'))")
    assert links.count("visit") > 100 and links.count("meeting") > 100
    assert not kinds_drawn(browser) & {"figure", "agreement", "position", "organization"}
    # The timeline lists its first entries and brings in the rest as it scrolls.
    entries = browser.evaluate("vnkg.data.timeline.length")
    assert browser.evaluate("document.querySelectorAll('#timeline-list .tl-item').length") == 300 < entries
    browser.evaluate("document.querySelector('#timeline-list .tl-more button').click()")
    assert browser.evaluate("document.querySelectorAll('#timeline-list .tl-item').length") == min(600, entries)
    assert browser.requests() == [generated_page.as_uri()]
    assert browser.console_errors() == []


@pytest.fixture()
def travels_page(browser, travels_graph, tmp_path):
    from kg.viz import write_html

    page = write_html(travels_graph, tmp_path / "travels.html")
    browser.open(page.as_uri())
    browser.evaluate("vnkg.setTab('map')")
    return page


def test_map_draws_one_arc_per_visit_with_both_countries_known(browser, travels_page):
    arcs = browser.evaluate("vnkg.mapArcs()")
    # Chi has no nationality and Át-lan-tít is on no map: their visits are counted, not drawn.
    assert sorted(arcs) == [ID + f"visit/v{i}" for i in (1, 2, 3, 4)]
    assert "2 visits not on the map" in browser.evaluate("document.getElementById('map-note').textContent")
    meetings = browser.evaluate("[...document.querySelectorAll('#map .meeting-dot')].map(d => [d.dataset.country, d.dataset.count])")
    # m2 took place in Viêng Chăn; m1 has no place but An met Bounmy while Bounmy was visiting Việt Nam.
    assert sorted(meetings) == [[ID + "country/lao", "1"], [ID + "country/viet-nam", "1"]]
    assert browser.requests() == [travels_page.as_uri()]


@pytest.mark.parametrize(("action", "arcs"), [
    ("const s = document.getElementById('date-from'); s.value = '2024-04'; s.dispatchEvent(new Event('change'))", (1, 3)),
    ("const s = document.getElementById('date-to'); s.value = '2024-05'; s.dispatchEvent(new Event('change'))", (1, 2, 4)),
    ("vnkg.setFilter('person', '" + ID + "person/bounmy-vongsa')", (4,)),
    ("vnkg.setFilter('country', '" + ID + "country/nhat-ban')", (2,)),
])
def test_map_follows_the_date_person_and_country_filters(browser, travels_page, action, arcs):
    browser.evaluate(f"(() => {{ {action}; }})()")
    assert sorted(browser.evaluate("vnkg.mapArcs()")) == [ID + f"visit/v{i}" for i in arcs]
    timeline = browser.evaluate("[...document.querySelectorAll('#timeline-list .tl-item')].filter(e => !e.hidden)"
                                ".map(e => e.firstChild.dataset.id)")
    assert {ID + f"visit/v{i}" for i in arcs} <= set(timeline)


def test_timeline_window_moves_the_map(browser, travels_page):
    months = browser.evaluate("+document.getElementById('window-to').max + 1")
    assert months == 24, "2023-02 to 2025-01"
    # The window on the months of 2024 alone, as a person drags its handles.
    browser.evaluate("""(() => { const a = document.getElementById('window-from'), b = document.getElementById('window-to');
        a.value = '11'; a.dispatchEvent(new Event('input')); b.value = '22'; b.dispatchEvent(new Event('input')); })()""")
    browser.wait_for("vnkg.state.to === '2024-12-31'")
    browser.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert browser.evaluate("vnkg.state.from") == "2024-01-01"
    assert sorted(browser.evaluate("vnkg.mapArcs()")) == [ID + "visit/v1", ID + "visit/v4"]
    assert browser.evaluate("document.getElementById('date-from').value") == "2024-01"
    # Play moves the window on a month at a time, the map following.
    browser.evaluate("vnkg.play()")
    browser.wait_for("vnkg.state.from === '2024-02-01'", timeout=5)
    browser.evaluate("vnkg.stopPlay()")
    browser.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert browser.evaluate("vnkg.state.to") == "2025-01-31"
    assert sorted(browser.evaluate("vnkg.mapArcs()")) == [ID + "visit/v1", ID + "visit/v3", ID + "visit/v4"]


def test_clicking_an_arc_lists_the_visits_of_its_route_with_dates_and_evidence(browser, travels_page):
    browser.evaluate(f"document.querySelector('#map .arc[data-id=\"{ID}visit/v1\"]')"
                     ".dispatchEvent(new MouseEvent('click', {{bubbles: true}}))".replace("{{", "{").replace("}}", "}"))
    text = browser.evaluate("document.getElementById('details').innerText")
    assert "Việt Nam → Lào" in text and "2024-05-06 – 2024-05-07" in text
    assert "Thủ tướng Nguyễn Văn An sẽ thăm Lào từ ngày 6 đến 7/5." in text and "a1.txt" in text
    assert browser.evaluate("[...document.querySelectorAll('#details li.fact')].map(e => e.dataset.id)") == [ID + "visit/v1"]


def test_profile_lists_a_persons_visits_in_date_order(browser, travels_page):
    browser.evaluate(f"vnkg.select('{ID}person/nguyen-van-an')")
    visits = browser.evaluate("[...document.querySelectorAll('#details ol.visits-made li.fact')]"
                              ".map(e => [e.dataset.id, e.dataset.start])")
    assert visits == [[ID + "visit/v2", "2023-02-10"], [ID + "visit/v1", "2024-05-06"], [ID + "visit/v3", "2025-01-15"]]
    text = browser.evaluate("document.getElementById('details').textContent")
    assert "Posts held" in text and "Thủ tướng · Việt Nam" in text and "attested 2024-05-01" in text
    assert "Ngày 15/1/2025, ông An thăm cấp nhà nước Pháp." in text
    meetings = browser.evaluate("[...document.querySelectorAll('#details ol.meetings li.fact')].map(e => e.dataset.id)")
    assert meetings == [ID + "meeting/m1", ID + "meeting/m2"]
    assert "Hiệp định hợp tác giáo dục" in text


def test_country_profile_lists_visits_received_and_made(browser, travels_page):
    browser.evaluate(f"vnkg.select('{ID}country/lao')")
    received = browser.evaluate("[...document.querySelectorAll('#details ol.visits-received li.fact')].map(e => e.dataset.id)")
    made = browser.evaluate("[...document.querySelectorAll('#details ol.visits-made li.fact')].map(e => e.dataset.id)")
    assert received == [ID + "visit/v1", ID + "visit/v5"]
    assert made == [ID + "visit/v4"]


def test_the_page_is_used_by_keyboard(browser, travels_page):
    browser.evaluate("document.activeElement.blur(); vnkg.setTab('graph')")
    browser.press("/", 191)
    assert browser.evaluate("document.activeElement.id") == "search"
    browser.type_text("bounmy")
    browser.wait_for("!!document.querySelector('#search-results li[data-id]')")
    browser.press("Enter", 13)
    assert browser.evaluate("document.querySelector('#details h2').textContent") == "Bounmy Vongsa"
    browser.evaluate("document.getElementById('tab-graph').focus()")
    browser.press("ArrowRight", 39)
    assert browser.evaluate("[vnkg.state.tab, document.activeElement.id]") == ["map", "tab-map"]
    # Every route on the map is a button too, so a keyboard reaches what a click on an arc shows.
    browser.evaluate("document.querySelector('#routes button').focus()")
    browser.press("Enter", 13)
    assert "Route" in browser.evaluate("document.getElementById('details').textContent")


def test_focus_keeps_both_sides_of_each_visit_lit(browser, travels_page):
    browser.evaluate("vnkg.setTab('graph')")
    browser.evaluate(f"vnkg.setFocus('{ID}person/nguyen-van-an')")
    faded = set(browser.evaluate("vnkg.cy.nodes('.faded').map(n => n.id())"))
    destinations = {ID + "country/lao", ID + "country/nhat-ban", ID + "country/phap"}
    assert destinations <= set(browser.evaluate("vnkg.cy.nodes().map(n => n.id())"))
    assert not faded & destinations
    assert json.loads(json.dumps(browser.requests())) == [travels_page.as_uri()]
