"""import.cypher run for real on an openCypher engine (FalkorDB), checked against the RDF graph."""
from __future__ import annotations

import itertools

import pyoxigraph as ox
import pytest

from kg.cli import main
from kg.export import cypher
from kg.export.propgraph import to_property_graph
from kg.export.source import read_graph

_graph_names = itertools.count()

VNKG = "https://w3id.org/vnkg/ontology#"
RDF_COUNTS = {
    # node label -> the RDF class whose instances become those nodes
    "Person": "vnkg:Person", "Country": "vnkg:Country", "Organization": "vnkg:Organization",
    "Location": "vnkg:Location", "Position": "vnkg:Position", "Article": "schema:NewsArticle",
    "Visit": "vnkg:Visit", "Meeting": "vnkg:Meeting", "Agreement": "vnkg:Agreement",
    "EconomicFigure": "vnkg:EconomicFigure", "Evidence": "vnkg:Evidence",
}
REL_PREDICATES = {
    "VISITOR": "vnkg:visitor", "DESTINATION": "vnkg:destination", "INVITED_BY": "vnkg:invitedBy",
    "PARTICIPANT": "vnkg:participant", "PARTY": "vnkg:party", "HOLDS_POSITION": "vnkg:holdsPosition",
    "OF_COUNTRY": "vnkg:ofCountry", "DERIVED_FROM": "prov:wasDerivedFrom", "MENTIONS": "schema:mentions",
    "NATIONALITY": "vnkg:nationality", "VISITED": "vnkg:visited", "MET_WITH": "vnkg:metWith",
    "ATTESTED_BY": "vnkg:attestedBy",
}
SPARQL_PREFIXES = """PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""


def rdf_store(path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    return store


def sparql(store: ox.Store, query: str) -> list[tuple]:
    return [tuple(term.value for term in row) for row in store.query(SPARQL_PREFIXES + query)]


def run_script(graph, text: str) -> None:
    """Run the statements of a falkordb-dialect import.cypher one by one, like a client would."""
    from redis.exceptions import ResponseError

    for stmt in cypher.split_script(text):
        try:
            graph.query(stmt)
        except ResponseError as exc:
            if stmt.startswith("CREATE INDEX") and "already indexed" in str(exc):
                continue  # FalkorDB has no IF NOT EXISTS; the index is there from the first run
            raise


def export_script(tmp_path, graph_file, dialect="falkordb") -> str:
    out = tmp_path / "neo4j"
    assert main(["export", "neo4j", str(graph_file), "--out", str(out), "--dialect", dialect,
                 "--batch-size", "200"]) == 0
    return (out / "import.cypher").read_text(encoding="utf-8")


def counts(graph) -> tuple[dict, dict]:
    labels = dict(graph.query("MATCH (n) RETURN labels(n)[0], count(n)").result_set)
    types = dict(graph.query("MATCH ()-[r]->() RETURN type(r), count(r)").result_set)
    return labels, types


@pytest.fixture
def fgraph(falkordb_server):
    graph = falkordb_server.graph(f"vnkg_test_{next(_graph_names)}")
    yield graph
    graph.delete()


def test_script_loads_small_graph_with_counts_of_the_rdf(tmp_path, small_graph, fgraph):
    run_script(fgraph, export_script(tmp_path, small_graph))
    labels, types = counts(fgraph)
    store = rdf_store(small_graph)
    for label, cls in RDF_COUNTS.items():
        (n,), = sparql(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {cls} }}")
        assert labels.get(label, 0) == int(n), label
    for rel, pred in REL_PREDICATES.items():
        (n,), = sparql(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s {pred} ?o }}")
        assert types.get(rel, 0) == int(n), rel


@pytest.mark.parametrize("country, visitors", [("Lào", {"Lương Cường"}), ("Việt Nam", {"Sonexay Siphandone"})])
def test_who_visited_a_country_matches_sparql(tmp_path, small_graph, fgraph, country, visitors):
    run_script(fgraph, export_script(tmp_path, small_graph))
    rows = fgraph.query("MATCH (p:Person)-[:VISITED]->(c:Country {label: $c}) RETURN p.label", {"c": country})
    found = {r[0] for r in rows.result_set}
    expected = {r[0] for r in sparql(rdf_store(small_graph),
                                     f'SELECT ?name WHERE {{ ?p vnkg:visited ?c . ?c rdfs:label "{country}"@vi . '
                                     f'?p rdfs:label ?name }}')}
    assert found == expected == visitors


def test_who_met_whom_matches_sparql(tmp_path, small_graph, fgraph):
    run_script(fgraph, export_script(tmp_path, small_graph))
    rows = fgraph.query("MATCH (a:Person)-[:MET_WITH]->(b:Person) RETURN a.label, b.label").result_set
    expected = sparql(rdf_store(small_graph),
                      "SELECT ?a ?b WHERE { ?x vnkg:metWith ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }")
    assert sorted(map(tuple, rows)) == sorted(expected)
    assert ("Phạm Minh Chính", "Sonexay Siphandone") in {tuple(r) for r in rows}


def test_visit_node_keeps_dates_evidence_and_article(tmp_path, small_graph, fgraph):
    import datetime as dt

    run_script(fgraph, export_script(tmp_path, small_graph))
    rows = fgraph.query(
        "MATCH (v:Visit)-[:VISITOR]->(p:Person {label: 'Lương Cường'}), (v)-[:DESTINATION]->(c:Country), "
        "(v)-[:INVITED_BY]->(i:Person), (v)-[:DERIVED_FROM]->(a:Article) "
        "RETURN v.startDate, v.endDate, v.startDatePrecision, v.visitType, v.evidence, c.label, i.label, "
        "a.sourceFile, v.sources").result_set
    assert len(rows) == 1
    start, end, precision, vtype, evidence, country, inviter, source_file, sources = rows[0]
    assert (start, end) == (dt.date(2025, 4, 24), dt.date(2025, 4, 25))
    assert (precision, vtype, country, inviter) == ("day", "StateVisit", "Lào", "Thongloun Sisoulith")
    assert source_file == "001_visit.txt" and sources == ["001_visit.txt"]
    assert evidence[0].startswith("Chủ tịch nước Lương Cường sẽ thăm Lào")


def test_position_chain_reads_person_to_country(tmp_path, small_graph, fgraph):
    run_script(fgraph, export_script(tmp_path, small_graph))
    rows = fgraph.query("MATCH (p:Person)-[:HOLDS_POSITION]->(pos:Position)-[:OF_COUNTRY]->(c:Country {label: 'Lào'}) "
                        "RETURN p.label, pos.title ORDER BY p.label, pos.title").result_set
    assert [tuple(r) for r in rows] == [("Sonexay Siphandone", "Thủ tướng"), ("Thongloun Sisoulith", "Chủ tịch nước"),
                                        ("Thongloun Sisoulith", "Tổng Bí thư")]


def test_running_the_script_twice_changes_nothing(tmp_path, small_graph, fgraph):
    text = export_script(tmp_path, small_graph)
    run_script(fgraph, text)
    first = counts(fgraph)
    props_first = fgraph.query("MATCH (n) RETURN n.uri, properties(n) ORDER BY n.uri").result_set
    run_script(fgraph, text)
    assert counts(fgraph) == first
    assert fgraph.query("MATCH (n) RETURN n.uri, properties(n) ORDER BY n.uri").result_set == props_first
    dupes = fgraph.query("MATCH (n) WITH n.uri AS u, count(*) AS c WHERE c > 1 RETURN u").result_set
    assert dupes == []


@pytest.fixture(scope="module")
def generated_loaded(falkordb_server, generated_graph, tmp_path_factory):
    """The generated graph's import.cypher, loaded once into its own FalkorDB graph."""
    graph = falkordb_server.graph("vnkg_generated")
    text = export_script(tmp_path_factory.mktemp("gen"), generated_graph)
    run_script(graph, text)
    yield graph, text
    graph.delete()


def test_generated_graph_has_the_model_and_rdf_counts(generated_graph, generated_loaded):
    graph, _text = generated_loaded
    labels, types = counts(graph)
    expected = to_property_graph(read_graph(generated_graph)).counts()
    assert labels == {k: v for k, v in expected.items() if k in RDF_COUNTS}
    assert types == {k: v for k, v in expected.items() if k not in RDF_COUNTS}
    store = rdf_store(generated_graph)
    for label in ("Person", "Visit", "Meeting", "EconomicFigure", "Evidence"):
        (n,), = sparql(store, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a {RDF_COUNTS[label]} }}")
        assert labels[label] == int(n) > 0


def test_generated_graph_second_load_changes_no_count(generated_loaded):
    graph, text = generated_loaded
    before = counts(graph)
    run_script(graph, text)
    assert counts(graph) == before


def test_partial_dates_stay_strings_with_their_precision(generated_loaded):
    graph, _text = generated_loaded
    rows = graph.query("MATCH (v:Visit) WHERE v.startDatePrecision = 'month' RETURN v.startDate LIMIT 3").result_set
    assert rows and all(isinstance(r[0], str) and len(r[0]) == 7 for r in rows)
    rows = graph.query("MATCH (m:Meeting) WHERE m.datePrecision = 'month-day' RETURN m.date LIMIT 3").result_set
    assert rows and all(r[0].startswith("--") for r in rows)
    rows = graph.query("MATCH (v:Visit) WHERE v.startDatePrecision = 'day' RETURN v.startDate LIMIT 3").result_set
    assert rows and all(type(r[0]).__name__ == "date" for r in rows)


def test_neo4j_and_falkordb_scripts_differ_only_in_schema_lines(tmp_path, small_graph):
    neo = cypher.split_script(export_script(tmp_path / "a", small_graph, "neo4j"))
    falk = cypher.split_script(export_script(tmp_path / "b", small_graph, "falkordb"))
    neo_schema = [s for s in neo if s.startswith("CREATE CONSTRAINT")]
    falk_schema = [s for s in falk if s.startswith("CREATE INDEX")]
    assert len(neo_schema) == len(falk_schema) == 10
    assert [s for s in neo if s not in neo_schema] == [s for s in falk if s not in falk_schema]
    assert all("IF NOT EXISTS" in s and "REQUIRE n.uri IS UNIQUE" in s for s in neo_schema)
