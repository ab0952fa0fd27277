"""GraphML, GEXF and CSV lists read back by networkx and by a second, independent reader."""
from __future__ import annotations

import csv
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from kg.cli import main
from kg.export.propgraph import to_property_graph
from kg.export.source import read_graph

GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"
GEXF_NS = "{http://www.gexf.net/1.2draft}"


@pytest.fixture
def model(small_graph):
    return to_property_graph(read_graph(small_graph))


def export(tmp_path, small_graph, fmt, name):
    out = tmp_path / name
    assert main(["export", fmt, str(small_graph), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("fmt, name, reader", [("graphml", "g.graphml", nx.read_graphml),
                                               ("gexf", "g.gexf", nx.read_gexf)])
def test_networkx_reads_back_nodes_edges_and_attributes(tmp_path, small_graph, model, fmt, name, reader):
    g = reader(export(tmp_path, small_graph, fmt, name))
    assert g.number_of_nodes() == len(model.nodes) == 23
    assert g.number_of_edges() == len(model.rels) == 59
    lao = g.nodes["country:lao"]
    assert lao["label"] == "Lào" and lao["type"] == "Country" and lao["uri"] == "https://w3id.org/vnkg/id/country/lao"
    visit = g.nodes["visit:5d41402abc4b2a76"]
    assert (visit["startDate"], visit["startDatePrecision"], visit["type"]) == ("2025-04-24", "day", "Visit")
    relations = {d["relation"] for _u, _v, d in g.edges(data=True)}
    assert {"VISITED", "MET_WITH", "VISITOR", "DESTINATION", "HOLDS_POSITION", "DERIVED_FROM"} <= relations
    visited = {(u, v) for u, v, d in g.edges(data=True) if d["relation"] == "VISITED"}
    assert visited == {("person:luong-cuong", "country:lao"), ("person:sonexay-siphandone", "country:viet-nam")}


def test_igraph_reads_the_graphml(tmp_path, small_graph):
    import igraph
    g = igraph.Graph.Read_GraphML(str(export(tmp_path, small_graph, "graphml", "g.graphml")))
    assert g.vcount() == 23 and g.ecount() == 59 and g.is_directed()
    names = dict(zip(g.vs["id"], g.vs["label"]))
    assert names["person:luong-cuong"] == "Lương Cường"
    assert sorted(set(g.es["relation"]))[:3] == ["BETWEEN", "COUNTRY", "DERIVED_FROM"]


def test_graphml_structure_has_declared_keys_and_unique_ids(tmp_path, small_graph):
    root = ET.parse(export(tmp_path, small_graph, "graphml", "g.graphml")).getroot()
    keys = {k.get("id"): k for k in root.findall(f"{GRAPHML_NS}key")}
    graph = root.find(f"{GRAPHML_NS}graph")
    assert graph.get("edgedefault") == "directed"
    node_ids = [n.get("id") for n in graph.findall(f"{GRAPHML_NS}node")]
    edge_ids = [e.get("id") for e in graph.findall(f"{GRAPHML_NS}edge")]
    assert len(set(node_ids)) == len(node_ids) == 23 and len(set(edge_ids)) == len(edge_ids) == 59
    for data in root.iter(f"{GRAPHML_NS}data"):
        assert data.get("key") in keys
    for edge in graph.findall(f"{GRAPHML_NS}edge"):
        assert edge.get("source") in node_ids and edge.get("target") in node_ids


def test_gexf_structure_declares_every_attribute_used(tmp_path, small_graph):
    root = ET.parse(export(tmp_path, small_graph, "gexf", "g.gexf")).getroot()
    assert root.get("version") == "1.2"
    graph = root.find(f"{GEXF_NS}graph")
    declared = {(attrs.get("class"), a.get("id")) for attrs in graph.findall(f"{GEXF_NS}attributes")
                for a in attrs.findall(f"{GEXF_NS}attribute")}
    nodes = graph.find(f"{GEXF_NS}nodes").findall(f"{GEXF_NS}node")
    edges = graph.find(f"{GEXF_NS}edges").findall(f"{GEXF_NS}edge")
    assert len(nodes) == 23 and len(edges) == 59
    for cls, items in (("node", nodes), ("edge", edges)):
        for item in items:
            for value in item.iter(f"{GEXF_NS}attvalue"):
                assert (cls, value.get("for")) in declared
    labels = {n.get("id"): n.get("label") for n in nodes}
    assert labels["meeting:9e107d9d372bb682"] == "Hội đàm Phạm Minh Chính – Sonexay Siphandone, 2024-01-06"
    assert {e.get("label") for e in edges} >= {"VISITED", "MET_WITH"}


@pytest.mark.parametrize("fmt, name", [("graphml", "g.graphml"), ("gexf", "g.gexf"), ("jsonld", "g.jsonld")])
def test_same_graph_gives_the_same_bytes(tmp_path, small_graph, fmt, name):
    first = export(tmp_path / "a", small_graph, fmt, name).read_bytes()
    second = export(tmp_path / "b", small_graph, fmt, name).read_bytes()
    assert first == second


def test_csv_lists_use_gephi_columns_and_point_at_nodes(tmp_path, small_graph):
    out = export(tmp_path, small_graph, "csv", "lists")
    with (out / "nodes.csv").open(encoding="utf-8", newline="") as f:
        nodes = list(csv.DictReader(f))
    with (out / "edges.csv").open(encoding="utf-8", newline="") as f:
        edges = list(csv.DictReader(f))
    assert list(nodes[0])[:4] == ["Id", "Label", "type", "uri"]
    assert list(edges[0]) == ["Source", "Target", "Type", "relation"]
    ids = {n["Id"] for n in nodes}
    assert len(ids) == len(nodes) == 23 and len(edges) == 59
    assert all(e["Source"] in ids and e["Target"] in ids and e["Type"] == "Directed" for e in edges)
    visit = next(n for n in nodes if n["Id"] == "visit:5d41402abc4b2a76")
    assert visit["evidence"].startswith("Chủ tịch nước Lương Cường sẽ thăm Lào cấp nhà nước trong các ngày 24 - 25.4,")


@pytest.mark.parametrize("fmt, make_target, words", [
    ("csv", lambda d: (d / "taken.csv").write_text("x") and d / "taken.csv", ["taken.csv", "is a file"]),
    ("neo4j", lambda d: (d / "taken").write_text("x") and d / "taken", ["taken", "is a file"]),
    ("graphml", lambda d: (d / "folder.graphml").mkdir() or d / "folder.graphml", ["folder.graphml", "is a folder"]),
])
def test_an_output_in_the_way_is_reported_not_overwritten(tmp_path, small_graph, capsys, fmt, make_target, words):
    target = make_target(tmp_path)
    assert main(["export", fmt, str(small_graph), "--out", str(target)]) == 2
    err = capsys.readouterr().err
    assert all(w in err for w in words)
    assert target.exists()


VIZ_NS = "{http://www.gexf.net/1.2draft/viz}"
PAGE_COLOURS = {"Person": (59, 130, 246), "Country": (220, 38, 38), "Visit": (22, 163, 74), "Meeting": (234, 88, 12)}


def test_gexf_gives_gephi_colours_sizes_and_positions(tmp_path, small_graph):
    root = ET.parse(export(tmp_path, small_graph, "gexf", "g.gexf")).getroot()
    nodes = root.find(f"{GEXF_NS}graph").find(f"{GEXF_NS}nodes").findall(f"{GEXF_NS}node")
    looks = {}
    for node in nodes:
        colour, size, position = (node.find(f"{VIZ_NS}{tag}") for tag in ("color", "size", "position"))
        assert colour is not None and size is not None and position is not None, node.get("id")
        kind = next(v.get("value") for v in node.iter(f"{GEXF_NS}attvalue") if v.get("for") == "0")
        looks[node.get("id")] = (kind, tuple(int(colour.get(c)) for c in "rgb"), float(size.get("value")),
                                 (float(position.get("x")), float(position.get("y"))))
    for kind, colour in PAGE_COLOURS.items():
        assert {c for k, c, _, _ in looks.values() if k == kind} == {colour}, f"{kind} nodes have the page's colour"
    assert looks["country:lao"][2] > looks["agreement:e4d909c290d0fb1c"][2], "a node with more links is larger"
    assert len({p for _, _, _, p in looks.values()}) == len(looks), "every node has its own place"


def test_gexf_plays_visits_and_meetings_on_gephis_timeline(tmp_path, small_graph):
    path = export(tmp_path, small_graph, "gexf", "g.gexf")
    graph = ET.parse(path).getroot().find(f"{GEXF_NS}graph")
    assert (graph.get("mode"), graph.get("timeformat")) == ("dynamic", "date")

    def spells(element):
        return [(s.get("start"), s.get("end")) for s in element.iter(f"{GEXF_NS}spell")]

    nodes = {n.get("id"): n for n in graph.find(f"{GEXF_NS}nodes")}
    assert spells(nodes["visit:5d41402abc4b2a76"]) == [("2025-04-24", "2025-04-25")]
    assert spells(nodes["meeting:9e107d9d372bb682"]) == [("2024-01-06", "2024-01-06")]
    assert spells(nodes["person:luong-cuong"]) == [], "people and countries are there all along"
    edges = {(e.get("source"), e.get("target"), e.get("label")): e for e in graph.find(f"{GEXF_NS}edges")}
    assert spells(edges[("person:luong-cuong", "country:lao", "VISITED")]) == [("2025-04-24", "2025-04-25")]
    assert spells(edges[("visit:5d41402abc4b2a76", "country:lao", "DESTINATION")]) == [("2025-04-24", "2025-04-25")]
    met = edges[("person:pham-minh-chinh", "person:sonexay-siphandone", "MET_WITH")]
    assert spells(met) == [("2024-01-06", "2024-01-06")]
    back = nx.read_gexf(path)
    assert back.nodes["visit:5d41402abc4b2a76"]["spells"] == [("2025-04-24", "2025-04-25")]


CONTROL = """@prefix vnkg: <https://w3id.org/vnkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://w3id.org/vnkg/id/person/thongloun-sisoulith> a vnkg:Person ;
    rdfs:label "Thong\\u0001loun\\u000B Sisou\\u001Flith\\uFFFE"@vi ; vnkg:nationality <https://w3id.org/vnkg/id/country/lao> .
<https://w3id.org/vnkg/id/country/lao> a vnkg:Country ; rdfs:label "L\\u0007ào"@vi .
"""


@pytest.mark.parametrize("fmt, name, reader", [("graphml", "g.graphml", nx.read_graphml),
                                               ("gexf", "g.gexf", nx.read_gexf)])
def test_control_characters_in_literals_still_give_well_formed_xml(tmp_path, fmt, name, reader):
    source = tmp_path / "graph.ttl"
    source.write_text(CONTROL, encoding="utf-8")
    g = reader(export(tmp_path, source, fmt, name))
    assert g.nodes["person:thongloun-sisoulith"]["label"] == "Thongloun Sisoulith"
    assert g.nodes["country:lao"]["label"] == "Lào"
