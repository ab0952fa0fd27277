"""The example queries in queries/*.rq: each runs on graph_small.ttl and gives the rows a reader expects."""
from __future__ import annotations

import json

import pytest

from kg.serve.query import run_query
from kg.serve.examples import QUERIES_DIR, find_example, load_examples

EXPECTED_NAMES = {"visits-timeline", "who-met-whom", "agreements", "trade-series", "person-profile",
                  "counts-by-type", "article-mentions", "people-network"}


def rows(small_graph, name: str) -> list[dict[str, str]]:
    data = json.loads(run_query(small_graph, find_example(name).text, "json"))
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


def test_every_example_has_a_title_and_a_description():
    examples = load_examples()
    assert {e.name for e in examples} >= EXPECTED_NAMES
    for example in examples:
        assert example.title and example.title != example.name
        assert len(example.description) > 30, example.name
        assert (QUERIES_DIR / f"{example.name}.rq").read_text(encoding="utf-8") == example.text


def test_visits_timeline_orders_visits_by_date(small_graph):
    found = rows(small_graph, "visits-timeline")
    assert [(r["when"], r["visitor"], r["destination"]) for r in found] == [
        ("2024-01-06", "Sonexay Siphandone", "Việt Nam"),
        ("2025-04-24", "Lương Cường", "Lào"),
    ]
    assert found[1]["invitedBy"] == "Thongloun Sisoulith"
    assert found[1]["visitType"] == "StateVisit" and found[1]["end"] == "2025-04-25"
    assert "invitedBy" not in found[0]


def test_who_met_whom_lists_each_pair_once(small_graph):
    found = rows(small_graph, "who-met-whom")
    assert len(found) == 1
    meeting = found[0]
    assert {meeting["person1"], meeting["person2"]} == {"Phạm Minh Chính", "Sonexay Siphandone"}
    assert (meeting["date"], meeting["meetingType"], meeting["place"]) == ("2024-01-06", "Talks", "Hà Nội")
    assert meeting["evidence"].startswith("Thủ tướng Phạm Minh Chính sáng 6/1 hội đàm")


def test_agreements_with_date_and_parties(small_graph):
    [agreement] = rows(small_graph, "agreements")
    assert agreement["name"] == "Hiệp định mua bán than và điện"
    assert agreement["signedOn"] == "2024-01-06"
    assert set(agreement["parties"].split(", ")) == {"Việt Nam", "Lào"}
    assert agreement["signedBy"] == "Phạm Minh Chính"


@pytest.mark.parametrize("params,expected", [
    ({}, [("2024", "Trade", "2250000000"), ("2025-Q1", "Export", "346400000")]),
    ({"country": "Laos"}, [("2024", "Trade", "2250000000"), ("2025-Q1", "Export", "346400000")]),
    ({"country": "Lào", "year": "2025"}, [("2025-Q1", "Export", "346400000")]),
    ({"country": "Campuchia"}, []),
])
def test_trade_series_takes_a_country_and_a_year(small_graph, params, expected):
    text = find_example("trade-series").with_params(**params)
    data = json.loads(run_query(small_graph, text, "json"))
    found = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
    assert [(r["period"], r["indicator"], r["value"].split(".")[0]) for r in found] == expected
    if len(found) == 2:
        assert set(found[0]["between"].split(" – ")) == {"Việt Nam", "Lào"}
        assert (found[1]["from"], found[1]["to"], found[1]["changePercent"]) == ("Việt Nam", "Lào", "138.6")


def test_person_profile_gathers_facts_with_evidence_and_sources(small_graph):
    found = rows(small_graph, "person-profile")
    assert {r["name"] for r in found} == {"Phạm Minh Chính"}
    assert sorted((r["kind"], r["role"]) for r in found) == [
        ("Agreement", "signedBy"), ("Meeting", "participant"), ("Position", "holdsPosition")]
    for row in found:
        assert row["sourceFile"] == "002_talks.txt"
        assert row["evidence"]
        assert row["headline"] == "Thủ tướng Phạm Minh Chính hội đàm với Thủ tướng Lào"
    meeting = next(r for r in found if r["kind"] == "Meeting")
    assert "Sonexay Siphandone" in meeting["with"]


def test_person_profile_for_another_person(small_graph):
    text = find_example("person-profile").with_params(person="Lương Cường")
    data = json.loads(run_query(small_graph, text, "json"))
    found = [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]
    assert sorted((r["kind"], r["role"]) for r in found) == [("Position", "holdsPosition"), ("Visit", "visitor")]
    visit = next(r for r in found if r["kind"] == "Visit")
    assert visit["date"] == "2025-04-24" and "Lào" in visit["with"] and "Thongloun Sisoulith" in visit["with"]


def test_counts_by_type(small_graph):
    counts = {r["type"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]: int(r["count"]) for r in rows(small_graph, "counts-by-type")}
    assert counts == {"Position": 5, "Person": 4, "Organization": 3, "Country": 2, "NewsArticle": 2, "Visit": 2,
                      "EconomicFigure": 2, "Location": 1, "Meeting": 1, "Agreement": 1}


def test_article_mentions_newest_first(small_graph):
    found = rows(small_graph, "article-mentions")
    assert [(r["published"], r["sourceFile"], int(r["mentionCount"])) for r in found] == [
        ("2025-04-20", "001_visit.txt", 5), ("2024-01-06", "002_talks.txt", 6)]
    assert set(found[1]["mentions"].split(", ")) == {
        "Phạm Minh Chính", "Sonexay Siphandone", "Việt Nam", "Lào", "Hà Nội", "ASEAN"}


def test_people_network_is_a_graph_of_people_and_countries(small_graph):
    import rdflib

    turtle = run_query(small_graph, find_example("people-network").text, "turtle")
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    vnkg = rdflib.Namespace("https://w3id.org/vnkg/ontology#")
    person = rdflib.Namespace("https://w3id.org/vnkg/id/person/")
    country = rdflib.Namespace("https://w3id.org/vnkg/id/country/")
    assert set(graph.subject_objects(vnkg.visited)) == {
        (person["luong-cuong"], country["lao"]), (person["sonexay-siphandone"], country["viet-nam"])}
    assert set(graph.subject_objects(vnkg.metWith)) == {
        (person["pham-minh-chinh"], person["sonexay-siphandone"]),
        (person["sonexay-siphandone"], person["pham-minh-chinh"])}
    assert (country["lao"], rdflib.RDFS.label, rdflib.Literal("Lào", lang="vi")) in graph


@pytest.mark.parametrize("name,params,count", [
    ("visits-timeline", {"year": "2025"}, 1), ("visits-timeline", {"person": "Sonexay Siphandone"}, 1),
    ("who-met-whom", {"year": "2025"}, 0), ("who-met-whom", {"person": "Phạm Minh Chính"}, 1),
    ("agreements", {"country": "Laos"}, 1), ("agreements", {"country": "Cuba"}, 0),
    ("agreements", {"year": "2024"}, 1),
])
def test_examples_take_a_year_a_person_or_a_country(small_graph, name, params, count):
    data = json.loads(run_query(small_graph, find_example(name).with_params(**params), "json"))
    assert len(data["results"]["bindings"]) == count


@pytest.mark.parametrize("name,params,message", [
    ("trade-series", {"persn": "x"}, "has no parameter 'persn' (its parameters: country, year)"),
    ("trade-series", {"year": "24"}, "a year is four digits"),
    ("counts-by-type", {"year": "2024"}, "its parameters: none"),
])
def test_wrong_parameters_say_what_is_accepted(name, params, message):
    from kg.errors import VnkgError

    with pytest.raises(VnkgError, match=message.replace("(", r"\(").replace(")", r"\)")):
        find_example(name).with_params(**params)


def test_every_parameter_has_its_values_line():
    for example in load_examples():
        for param in example.params:
            assert f"VALUES ?{param.name} {{" in example.text, (example.name, param.name)


@pytest.fixture(scope="module")
def other_base_graph(tmp_path_factory):
    """graph_small.ttl as `kg build --base-iri https://example.org/kg/` writes it."""
    from serve_helpers import SMALL_GRAPH

    path = tmp_path_factory.mktemp("base") / "graph.ttl"
    path.write_text(SMALL_GRAPH.read_text(encoding="utf-8").replace("https://w3id.org/vnkg/id/",
                                                                    "https://example.org/kg/"), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(EXPECTED_NAMES - {"people-network"}))
def test_examples_give_the_same_rows_under_another_base_iri(small_graph, other_base_graph, name):
    def values(graph):
        data = json.loads(run_query(graph, find_example(name).text, "json"))
        return sorted(json.dumps({k: v["value"].replace("https://example.org/kg/", "https://w3id.org/vnkg/id/")
                                  for k, v in b.items()}, sort_keys=True) for b in data["results"]["bindings"])

    assert values(other_base_graph) == values(small_graph) != []


def test_the_graphs_prefixes_are_declared_for_every_query(other_base_graph, capsys):
    from serve_helpers import kg_main

    assert kg_main(["query", str(other_base_graph), "SELECT ?v WHERE { ?v a vnkg:Visit ; vnkg:visitor person:luong-cuong }"]) == 0
    out = capsys.readouterr().out
    assert "visit:5d41402abc4b2a76" in out and "(1 row)" in out


def test_kg_query_cli_takes_params(small_graph, capsys):
    from serve_helpers import kg_main

    assert kg_main(["query", str(small_graph), "--example", "person-profile", "--param", "person=Lương Cường"]) == 0
    out = capsys.readouterr().out
    assert "Lương Cường" in out and "Visit" in out and "(2 rows)" in out


def test_kg_query_function_returns_a_dataframe(small_graph):
    import kg

    frame = kg.query(small_graph, "trade-series", country="Lào", year=2024)
    assert list(frame.columns)[:3] == ["period", "indicator", "value"]
    assert frame["value"].tolist() == [2250000000] and frame["period"].tolist() == ["2024"]
    one = kg.query(small_graph, "SELECT ?headline ?file WHERE { ?a vnkg:sourceFile ?file ; schema:headline ?headline }",
                   file="002_talks.txt")
    assert one["headline"].tolist() == ["Thủ tướng Phạm Minh Chính hội đàm với Thủ tướng Lào"]
    assert kg.query(small_graph, "ASK { person:luong-cuong vnkg:visited country:lao }") is True


def test_kg_query_function_gives_plain_rows_without_pandas(small_graph, monkeypatch):
    import sys

    import kg

    monkeypatch.setitem(sys.modules, "pandas", None)
    rows = kg.query(small_graph, "SELECT ?n WHERE { ?p a vnkg:Person ; rdfs:label ?n } ORDER BY ?n")
    assert rows[0] == {"n": "Lương Cường"} and len(rows) == 4


def test_kg_query_function_reads_an_rdflib_graph(small_graph):
    import rdflib

    import kg

    graph = rdflib.Graph().parse(small_graph)
    frame = kg.query(graph, "visits-timeline", year=2024)
    assert frame["visitor"].tolist() == ["Sonexay Siphandone"]
