"""The page file itself: self-contained, data intact, written atomically."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.errors import ViewError
from kg.rdf.namespaces import VNKG
from kg.viz import render_html, write_html
from kg.viz.data import graph_to_view
from kg.viz.page import LIBRARY


def page_data(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="vnkg-data">(.*?)</script>', page, re.S)
    assert match, "the page embeds its data"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def page(small_graph) -> str:
    return render_html(small_graph)


def test_page_fetches_nothing_from_any_network(page):
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)\s*=""", page, re.I), "no external resources"
    assert "@import" not in page and "url(http" not in page
    assert "connect-src 'none'" in page and "font-src 'none'" in page, "the page forbids fetching itself"
    assert '<meta charset="utf-8">' in page


def test_page_inlines_the_pinned_drawing_library(page):
    pinned = json.loads((LIBRARY.parents[3] / "package.json").read_text())["dependencies"]["cytoscape"]
    installed = json.loads((LIBRARY.parents[1] / "package.json").read_text())["version"]
    assert installed == pinned
    library = LIBRARY.read_text(encoding="utf-8")
    assert library[:2000] in page and library[-2000:] in page


def test_page_data_holds_the_graph_with_positions(small_graph, page):
    data = page_data(page)
    view = graph_to_view(small_graph)
    assert data["stats"] == view["stats"]
    assert [n["id"] for n in data["nodes"]] == [n["id"] for n in view["nodes"]]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert "Phạm Minh Chính" in {n["label"] for n in data["nodes"]}, "Vietnamese text kept as is"


@pytest.mark.parametrize("label", ["</script><script>alert(1)</script>", "<!-- Lào", "a & b <b>"])
def test_labels_cannot_break_out_of_the_page(label):
    graph = Graph().parse(data=f"""
        @prefix vnkg: <https://w3id.org/vnkg/ontology#> .
        @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        <https://w3id.org/vnkg/id/person/x> a vnkg:Person ; rdfs:label {json.dumps(label)}@vi .
    """, format="turtle")
    page = render_html(graph, title=label)
    assert page.count("</script>") == 4, "only the page's own four scripts end (data, map, library, viewer)"
    assert page_data(page)["nodes"][0]["label"] == label
    assert "<title>" + label not in page


@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=60))
def test_any_label_survives_the_page_unchanged(label):
    graph = Graph()
    person = URIRef("https://w3id.org/vnkg/id/person/x")
    graph.add((person, RDF.type, VNKG.Person))
    graph.add((person, RDFS.label, Literal(label, lang="vi")))
    page = render_html(graph)
    assert page.count("</script>") == 4
    assert page_data(page)["nodes"][0]["label"] == (label or "x")


def test_title_defaults_to_the_focus_and_dates(small_graph):
    data = page_data(render_html(small_graph, focus="thongloun sisoulith", since="2025"))
    assert data["title"] == "Thongloun Sisoulith — vnkg graph (2025-01-01 to …)"
    assert data["focus"] == "https://w3id.org/vnkg/id/person/thongloun-sisoulith"


def test_write_html_replaces_the_file_atomically(small_graph, tmp_path):
    target = tmp_path / "out" / "graph.html"
    write_html(small_graph, target)
    first = target.read_text(encoding="utf-8")
    write_html(small_graph, target, focus="Lào")
    assert target.read_text(encoding="utf-8") != first
    assert sorted(p.name for p in target.parent.iterdir()) == ["graph.html"], "no temporary file left behind"


def test_missing_drawing_library_says_to_run_npm_ci(small_graph, tmp_path, monkeypatch):
    monkeypatch.setattr("kg.viz.page.LIBRARY", tmp_path / "cytoscape.min.js")
    with pytest.raises(ViewError, match="npm ci"):
        render_html(small_graph)
    assert not list(tmp_path.iterdir())


def test_large_graph_page_draws_the_most_important_nodes_first(generated_view):
    view = generated_view
    shown = view["shown"]
    assert view["stats"]["nodes"] > shown
    first = {n["id"] for n in view["nodes"] if n["rank"] < shown}
    dangling = [e for e in view["edges"]
                if (e["source"] in first) != (e["target"] in first)
                and (e["source"] if e["source"] in first else e["target"]).split("/")[-2] in ("visit", "meeting")]
    assert not dangling, "a visit or meeting among the first nodes always shows its people"


def test_people_view_draws_the_most_travelled_people_first(generated_view):
    core = [n for n in generated_view["nodes"] if n.get("core")]
    assert len(core) > generated_view["shown"], "the people view is larger than what the page draws first"
    people = [n for n in core if n["kind"] == "person"]
    ordered = [n.get("qdeg", 0) for n in sorted(people, key=lambda n: n["qrank"])]
    assert ordered == sorted(ordered, reverse=True), "people come in the order of their visits and meetings"
    assert not [n for n in generated_view["nodes"] if n.get("core") and n["kind"] in ("figure", "agreement", "position")]
