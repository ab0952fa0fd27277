"""RDF -> property graph: labels, directions, dates, lists and shortcuts."""
from __future__ import annotations

import datetime as dt

import pytest

from kg.export.propgraph import Rel, to_property_graph
from kg.export.source import read_graph

ID = "https://w3id.org/vnkg/id/"
HEAD = ('@prefix vnkg: <https://w3id.org/vnkg/ontology#> .\n@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
        + "".join(f"@prefix {k}: <https://w3id.org/vnkg/id/{k}/> .\n" for k in ("person", "country", "visit", "meeting")))


@pytest.fixture
def small_model(small_graph):
    return to_property_graph(read_graph(small_graph))


def model_of(tmp_path, body: str):
    path = tmp_path / "g.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    return to_property_graph(read_graph(path))


@pytest.mark.parametrize("start, rel_type, end", [
    ("visit/5d41402abc4b2a76", "VISITOR", "person/luong-cuong"),
    ("visit/5d41402abc4b2a76", "DESTINATION", "country/lao"),
    ("visit/5d41402abc4b2a76", "INVITED_BY", "person/thongloun-sisoulith"),
    ("meeting/9e107d9d372bb682", "PARTICIPANT", "person/sonexay-siphandone"),
    ("agreement/e4d909c290d0fb1c", "PARTY", "country/lao"),
    ("person/thongloun-sisoulith", "HOLDS_POSITION", "position/tong-bi-thu-lao"),
    ("position/tong-bi-thu-lao", "OF_COUNTRY", "country/lao"),
    ("visit/5d41402abc4b2a76", "DERIVED_FROM", "article/a1b2c3d4e5f60718"),
    ("article/0f1e2d3c4b5a6978", "MENTIONS", "location/ha-noi"),
    ("person/luong-cuong", "VISITED", "country/lao"),
    ("person/sonexay-siphandone", "MET_WITH", "person/pham-minh-chinh"),
])
def test_relationships_read_from_fact_to_participant(small_model, start, rel_type, end):
    assert Rel(ID + start, rel_type, ID + end) in set(small_model.rels)


def test_enumerations_are_properties_not_nodes(small_model):
    visit = small_model.by_uri()[ID + "visit/5d41402abc4b2a76"]
    assert (visit.props["visitType"], visit.props["status"]) == ("StateVisit", "Planned")
    assert not any(n.uri.startswith("https://w3id.org/vnkg/ontology#") for n in small_model.nodes)


def test_every_node_has_a_vietnamese_label(small_model):
    labels = {n.uri.removeprefix(ID): n.props["label"] for n in small_model.nodes}
    assert labels["position/tong-bi-thu-lao"] == "Tổng Bí thư Lào"
    assert labels["figure/e4da3b7fbbce2345"] == "Xuất khẩu Việt Nam → Lào 2025-Q1"
    assert labels["article/a1b2c3d4e5f60718"] == "Chủ tịch nước Lương Cường sắp thăm Lào"
    assert all(isinstance(v, str) and v for v in labels.values())


def test_dates_full_and_partial(tmp_path):
    m = model_of(tmp_path, 'visit:aa a vnkg:Visit ; vnkg:startDate "2025-04-24"^^xsd:date ; '
                           'vnkg:endDate "2025-05"^^xsd:gYearMonth ; vnkg:date "--03-23"^^xsd:gMonthDay .\n')
    props = m.nodes[0].props
    assert props["startDate"] == dt.date(2025, 4, 24) and props["startDatePrecision"] == "day"
    assert props["endDate"] == "2025-05" and props["endDatePrecision"] == "month"
    assert props["date"] == "--03-23" and props["datePrecision"] == "month-day"


def test_a_property_listed_on_one_node_is_a_list_on_all_of_its_label(tmp_path):
    m = model_of(tmp_path, 'visit:aa a vnkg:Visit ; vnkg:rule "r1", "r2" .\n'
                           'visit:bb a vnkg:Visit ; vnkg:rule "r3" .\n')
    assert [n.props["rule"] for n in m.nodes] == [["r1", "r2"], ["r3"]]


def test_shortcuts_are_derived_when_the_graph_lacks_them(tmp_path):
    m = model_of(tmp_path, 'visit:aa a vnkg:Visit ; vnkg:visitor person:a ; vnkg:destination country:b .\n'
                           'meeting:cc a vnkg:Meeting ; vnkg:participant person:a, person:d .\n')
    rels = set(m.rels)
    assert Rel(ID + "person/a", "VISITED", ID + "country/b") in rels
    assert {Rel(ID + "person/a", "MET_WITH", ID + "person/d"), Rel(ID + "person/d", "MET_WITH", ID + "person/a")} <= rels
    # untyped objects still get the label of their kind
    assert {n.uri: n.label for n in m.nodes}[ID + "country/b"] == "Country"


def test_blank_nodes_are_left_out_and_counted(tmp_path, caplog):
    m = model_of(tmp_path, 'person:a a vnkg:Person ; rdfs:label "A"@vi ; vnkg:nationality [ rdfs:label "X"@vi ] .\n')
    assert [n.uri for n in m.nodes] == [ID + "person/a"]
    assert m.skipped_blank_triples == 2
    assert "blank nodes" in caplog.text
