"""TriG and N-Quads: one named graph per article, entities apart, union equal to the source."""
from __future__ import annotations

import gzip

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic

from kg.cli import main
from kg.export.quads import build_graph_iri, partition_counts
from kg.export.source import read_graph

ARTICLE_1 = "https://w3id.org/vnkg/id/article/a1b2c3d4e5f60718"
ARTICLE_2 = "https://w3id.org/vnkg/id/article/0f1e2d3c4b5a6978"


def load_dataset(path, fmt) -> rdflib.Dataset:
    ds = rdflib.Dataset()
    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    ds.parse(data=data.decode("utf-8"), format=fmt)
    return ds


def union(ds: rdflib.Dataset) -> rdflib.Graph:
    g = rdflib.Graph()
    for s, p, o, _c in ds.quads((None, None, None, None)):
        g.add((s, p, o))
    return g


def assert_isomorphic(a: rdflib.Graph, b: rdflib.Graph) -> None:
    if not isomorphic(a, b):
        _both, only_a, only_b = graph_diff(a, b)
        pytest.fail(f"graphs differ:\nonly in source:\n{only_a.serialize(format='nt')}\n"
                    f"only in export:\n{only_b.serialize(format='nt')}")


@pytest.mark.parametrize("fmt, name, parser", [("trig", "graph.trig", "trig"), ("nquads", "graph.nq", "nquads"),
                                               ("trig", "graph.trig.gz", "trig")])
def test_union_of_the_named_graphs_is_the_source_graph(tmp_path, small_graph, fmt, name, parser):
    out = tmp_path / name
    assert main(["export", fmt, str(small_graph), "--out", str(out)]) == 0
    ds = load_dataset(out, parser)
    assert_isomorphic(rdflib.Graph().parse(small_graph), union(ds))


def test_each_article_graph_holds_its_facts_and_its_node(tmp_path, small_graph):
    out = tmp_path / "graph.trig"
    assert main(["export", "trig", str(small_graph), "--out", str(out)]) == 0
    ds = load_dataset(out, "trig")
    g1 = ds.graph(rdflib.URIRef(ARTICLE_1))
    vnkg = rdflib.Namespace("https://w3id.org/vnkg/ontology#")
    visits = set(g1.subjects(rdflib.RDF.type, vnkg.Visit))
    assert visits == {rdflib.URIRef("https://w3id.org/vnkg/id/visit/5d41402abc4b2a76")}
    assert (rdflib.URIRef(ARTICLE_1), rdflib.URIRef("https://schema.org/headline"), None) in g1
    assert not set(g1.subjects(rdflib.RDF.type, vnkg.Meeting))
    g2 = ds.graph(rdflib.URIRef(ARTICLE_2))
    assert set(g2.subjects(rdflib.RDF.type, vnkg.Meeting))
    # entity descriptions live in the default graph, not in any article graph
    person = rdflib.URIRef("https://w3id.org/vnkg/id/person/luong-cuong")
    assert (person, rdflib.RDFS.label, None) in ds.default_graph
    assert (person, rdflib.RDFS.label, None) not in g1


def test_entities_can_go_to_a_named_graph(tmp_path, small_graph):
    out = tmp_path / "graph.nq"
    entities = "https://w3id.org/vnkg/id/graph/entities"
    assert main(["export", "nquads", str(small_graph), "--out", str(out), "--entities-graph", entities]) == 0
    ds = load_dataset(out, "nquads")
    assert len(ds.default_graph) == 0
    assert len(ds.graph(rdflib.URIRef(entities))) == partition_counts(read_graph(small_graph))[None] == 45


def test_fact_from_two_articles_is_in_both_graphs(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(
        "@prefix vnkg: <https://w3id.org/vnkg/ontology#> .\n@prefix prov: <http://www.w3.org/ns/prov#> .\n"
        "@prefix schema: <https://schema.org/> .\n"
        "<https://w3id.org/vnkg/id/article/aa00aa00aa00aa00> a schema:NewsArticle .\n"
        "<https://w3id.org/vnkg/id/article/bb00bb00bb00bb00> a schema:NewsArticle .\n"
        "<https://w3id.org/vnkg/id/meeting/cc00cc00cc00cc00> a vnkg:Meeting ; "
        "prov:wasDerivedFrom <https://w3id.org/vnkg/id/article/aa00aa00aa00aa00>, "
        "<https://w3id.org/vnkg/id/article/bb00bb00bb00bb00> .\n", encoding="utf-8")
    parts = partition_counts(read_graph(graph))
    # the article's own type triple, then the meeting's type and its two derivations
    assert parts["https://w3id.org/vnkg/id/article/aa00aa00aa00aa00"] == 4
    assert parts["https://w3id.org/vnkg/id/article/bb00bb00bb00bb00"] == 4
    assert None not in parts


def test_gzip_flag_adds_the_suffix_and_output_is_byte_stable(tmp_path, small_graph):
    assert main(["export", "trig", str(small_graph), "--out", str(tmp_path / "a.trig"), "--gzip"]) == 0
    first = (tmp_path / "a.trig.gz").read_bytes()
    assert main(["export", "trig", str(small_graph), "--out", str(tmp_path / "a.trig"), "--gzip"]) == 0
    assert (tmp_path / "a.trig.gz").read_bytes() == first
    assert not (tmp_path / "a.trig").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["a.trig.gz"]


def test_build_graph_iri_is_stable_and_follows_the_articles(small_graph, tmp_path):
    iri = build_graph_iri(read_graph(small_graph))
    assert iri.startswith("https://w3id.org/vnkg/id/graph/") and iri == build_graph_iri(read_graph(small_graph))
    changed = tmp_path / "g.ttl"
    changed.write_text(small_graph.read_text(encoding="utf-8").replace('"Lương Cường"@vi', '"Lương  Cường"@vi'),
                       encoding="utf-8")
    assert build_graph_iri(read_graph(changed)) == iri  # same articles, same graph: a reload replaces it


def test_build_graph_iri_is_the_hash_of_the_sorted_article_iris(small_graph):
    """The name stores already hold: a new version of vnkg must replace, not pile up beside, an earlier load."""
    import hashlib

    g = rdflib.Graph().parse(small_graph)
    articles = sorted(str(a) for a in g.subjects(rdflib.RDF.type, rdflib.URIRef("https://schema.org/NewsArticle")))
    digest = hashlib.sha256("\n".join(articles).encode("utf-8")).hexdigest()[:16]
    assert build_graph_iri(read_graph(small_graph)) == f"https://w3id.org/vnkg/id/graph/{digest}"
