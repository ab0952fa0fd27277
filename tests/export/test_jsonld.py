"""JSON-LD expands back to exactly the source graph, through two independent processors."""
from __future__ import annotations

import json

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic

from kg.cli import main


def assert_isomorphic(source: rdflib.Graph, result: rdflib.Graph) -> None:
    if not isomorphic(source, result):
        _both, only_source, only_result = graph_diff(source, result)
        pytest.fail(f"only in source:\n{only_source.serialize(format='nt')}\n"
                    f"only in JSON-LD:\n{only_result.serialize(format='nt')}")


@pytest.fixture(params=["small", "generated"])
def graph_file(request, small_graph, generated_graph):
    return small_graph if request.param == "small" else generated_graph


@pytest.fixture
def exported(tmp_path, graph_file):
    out = tmp_path / "graph.jsonld"
    assert main(["export", "jsonld", str(graph_file), "--out", str(out)]) == 0
    return out


def test_pyld_expansion_is_isomorphic_to_the_source(graph_file, exported):
    from pyld import jsonld

    doc = json.loads(exported.read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(doc, {"format": "application/n-quads"})
    assert_isomorphic(rdflib.Graph().parse(graph_file), rdflib.Graph().parse(data=nquads, format="nt"))


def test_rdflib_parser_reads_the_same_triples(graph_file, exported):
    assert_isomorphic(rdflib.Graph().parse(graph_file),
                      rdflib.Graph().parse(data=exported.read_text(encoding="utf-8"), format="json-ld"))


def test_context_has_vocabularies_kinds_and_vietnamese_default(tmp_path, small_graph):
    out = tmp_path / "g.jsonld"
    assert main(["export", "jsonld", str(small_graph), "--out", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    ctx = doc["@context"]
    assert ctx["@language"] == "vi"
    for prefix in ("vnkg", "schema", "prov", "skos", "rdfs", "xsd", "person", "country", "visit", "article"):
        assert prefix in ctx
    lao = next(n for n in doc["@graph"] if n["@id"] == "country:lao")
    assert lao["@type"] == "vnkg:Country"
    assert lao["rdfs:label"] == ["Lào", {"@value": "Laos", "@language": "en"}]
    visit = next(n for n in doc["@graph"] if n["@id"] == "visit:5d41402abc4b2a76")
    assert visit["vnkg:startDate"] == {"@value": "2025-04-24", "@type": "xsd:date"}
    assert visit["vnkg:visitor"] == {"@id": "person:luong-cuong"}
    assert visit["vnkg:charStart"] == 40
    article = next(n for n in doc["@graph"] if n["@id"] == "article:a1b2c3d4e5f60718")
    assert article["vnkg:sourceFile"] == {"@value": "001_visit.txt"}  # a plain string, no language
