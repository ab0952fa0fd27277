"""kg.rdf.ntriples: the N-Triples terms the writer emits read back as the same RDF terms,
and an article that cannot be written leaves the graph as it was."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.article import Article, digest_of
from kg.rdf.ntriples import iri, literal, term
from kg.step import Builder

S, P = "<https://example.org/s>", "<https://example.org/p>"


def _read_back(obj: str):
    graph = Graph()
    graph.parse(data=f"{S} {P} {obj} .\n", format="nt")
    (triple,) = graph
    return triple[2]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))), st.sampled_from([None, "vi", "en"]))
def test_a_literal_reads_back_as_its_text(text, lang):
    written = literal(text, lang)
    assert _read_back(written) == Literal(text, lang=lang)
    assert written == term(Literal(text, lang=lang))  # one escaping for the writer and for rdflib terms


@pytest.mark.parametrize("lexical, datatype", [("2025-04-24", XSD.date), ("--04-24", XSD.gMonthDay),
                                               ("27.5", XSD.decimal), ("12", XSD.integer)])
def test_a_typed_literal_reads_back_with_its_datatype(lexical, datatype):
    assert _read_back(literal(lexical, datatype=str(datatype))) == Literal(lexical, datatype=datatype)


def test_a_string_datatype_is_written_as_a_plain_literal():
    assert literal("Hà Nội", datatype=str(XSD.string)) == '"Hà Nội"'


@pytest.mark.parametrize("value", ["https://example.org/a b", 'https://example.org/a"b', "https://example.org/<a>"])
def test_an_iri_that_cannot_be_written_is_refused(value):
    with pytest.raises(ValueError, match="does not look like a valid URI"):
        iri(value)


def test_iri_reads_back_as_the_same_iri():
    assert _read_back(iri("https://w3id.org/vnkg/id/person/luong-cuong")) == \
        URIRef("https://w3id.org/vnkg/id/person/luong-cuong")


TEXT = "Thủ tướng Lào Sonexay Siphandone sáng 6/1 hội đàm với Thủ tướng Việt Nam tại Hà Nội."


def _article(name: str, url: str | None = None) -> Article:
    return Article(name, name, TEXT, title="Thủ tướng Lào thăm Việt Nam", url=url, digest=digest_of(TEXT + name))


def test_an_article_that_cannot_be_written_leaves_the_graph_as_it_was():
    builder = Builder()
    builder.add(_article("a.txt"))
    before = set(builder.graph)
    assert before
    with pytest.raises(ValueError, match="does not look like a valid URI"):
        builder.add(_article("b.txt", url='https://example.org/tin"bai'))
    assert set(builder.graph) == before
