"""kg.synthetic: generated news built by the real pipeline, the one source of made-up graphs."""
from __future__ import annotations

import json

import rdflib
from rdflib import RDF

from kg.rdf.namespaces import PROV, VNKG
from kg.synthetic import CorpusGenerator, build_graph, write_corpus


def test_the_same_seed_gives_the_same_corpus_and_another_seed_another(tmp_path):
    a = [p.read_text(encoding="utf-8") for p in write_corpus(tmp_path / "a", 20, seed=4)]
    b = [p.read_text(encoding="utf-8") for p in write_corpus(tmp_path / "b", 20, seed=4)]
    c = [p.read_text(encoding="utf-8") for p in write_corpus(tmp_path / "c", 20, seed=5)]
    assert a == b and a != c


def test_some_events_are_reported_again_by_another_outlet_a_day_later():
    records = list(CorpusGenerator(seed=2).articles(200))
    again = [(first, second) for first, second in zip(records, records[1:]) if first["title"] == second["title"]]
    assert 10 <= len(again) <= 60
    for first, second in again:
        if "date" in first and "date" in second:
            assert second["date"] > first["date"]


def test_built_graph_has_every_kind_of_fact_and_facts_told_by_two_articles(tmp_path):
    path = build_graph(tmp_path / "graph.ttl", 60, seed=1)
    graph = rdflib.Graph().parse(path, format="turtle")
    kinds = {o for o in graph.objects(None, RDF.type)}
    assert {VNKG.Person, VNKG.Country, VNKG.Visit, VNKG.Meeting, VNKG.Agreement, VNKG.EconomicFigure,
            VNKG.Position, VNKG.Evidence} <= kinds
    twice = [f for f in set(graph.subjects(PROV.wasDerivedFrom, None))
             if (f, RDF.type, VNKG.Evidence) not in graph and len(set(graph.objects(f, PROV.wasDerivedFrom))) == 2]
    assert twice, "no fact is reported by two articles"
    for fact in twice:
        sources = {graph.value(e, PROV.wasDerivedFrom) for e in graph.objects(fact, VNKG.attestedBy)}
        assert sources == set(graph.objects(fact, PROV.wasDerivedFrom)), "each article has its own evidence"


def test_generated_records_are_what_kg_build_reads(tmp_path):
    (path,) = write_corpus(tmp_path, 3, seed=0)
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        assert set(record) - {"date"} == {"title", "text", "source", "url"}
