"""The same fact reported by two articles is one node with both sources; entities are one node everywhere."""
from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.namespace import RDF, XSD

from kg.rdf.namespaces import PROV, SCHEMA, VNKG

ANNOUNCED = ("Thủ tướng Hà Lan Mark Rutte sắp thăm Việt Nam\n"
             "Nhận lời mời của Thủ tướng Phạm Minh Chính, Thủ tướng Hà Lan Mark Rutte sẽ thăm chính thức Việt Nam "
             "từ ngày 1 đến ngày 2/11. Hai nước đã ký Hiệp định hợp tác quản lý nước giữa Việt Nam và Hà Lan.")
REPORTED = ("Thủ tướng Phạm Minh Chính hội đàm với Thủ tướng Hà Lan\n"
            "Sáng 1/11, tại Trụ sở Chính phủ, Thủ tướng Phạm Minh Chính đã hội đàm với Thủ tướng Hà Lan Mark Rutte "
            "đang có chuyến thăm chính thức Việt Nam. Hai bên đánh giá cao Hiệp định hợp tác quản lý nước giữa "
            "Việt Nam và Hà Lan.")


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    from kg.builder import build_corpus

    folder = tmp_path_factory.mktemp("two")
    (folder / "a.txt").write_text(" date 2023-10-28 (Báo Mẫu) -\n" + ANNOUNCED, encoding="utf-8")
    (folder / "b.txt").write_text(" date 2023-11-01 (Báo Mẫu) -\n" + REPORTED, encoding="utf-8")
    return build_corpus([folder], validate=False).graph


def test_one_visit_node_with_both_articles_as_sources(merged):
    visits = list(merged.subjects(RDF.type, VNKG.Visit))
    assert len(visits) == 1
    assert len(set(merged.objects(visits[0], PROV.wasDerivedFrom))) == 2
    assert merged.value(visits[0], VNKG.startDate) == Literal("2023-11-01", datatype=XSD.date)


def test_the_later_state_of_a_merged_visit_wins(merged):
    (visit,) = merged.subjects(RDF.type, VNKG.Visit)
    assert list(merged.objects(visit, VNKG.status)) == [VNKG.Ongoing]


def test_one_agreement_node_for_the_same_name_and_parties(merged):
    agreements = list(merged.subjects(RDF.type, VNKG.Agreement))
    assert len(agreements) == 1
    assert len(set(merged.objects(agreements[0], PROV.wasDerivedFrom))) == 2


def test_each_person_is_one_node_mentioned_by_both_articles(merged):
    articles = list(merged.subjects(RDF.type, SCHEMA.NewsArticle))
    rutte = [p for p in merged.subjects(RDF.type, VNKG.Person) if "mark-rutte" in str(p)]
    assert len(rutte) == 1 and all((a, SCHEMA.mentions, rutte[0]) in merged for a in articles)


def test_extract_gives_the_graph_of_one_article():
    import kg

    g = kg.extract(ANNOUNCED, date="2023-10-28")
    (visit,) = g.subjects(RDF.type, VNKG.Visit)
    assert g.value(visit, VNKG.status) == VNKG.Planned
    assert g.value(visit, VNKG.endDate) == Literal("2023-11-02", datatype=XSD.date)


def test_each_article_says_its_own_sentence_through_its_evidence_node(merged):
    """A user can ask which article said what: one evidence node per (fact, article)."""
    (visit,) = merged.subjects(RDF.type, VNKG.Visit)
    records = list(merged.objects(visit, VNKG.attestedBy))
    assert len(records) == 2
    by_article = {}
    for record in records:
        (article,) = merged.objects(record, PROV.wasDerivedFrom)
        by_article[str(merged.value(article, VNKG.sourceFile))] = record
    assert sorted(by_article) == ["a.txt", "b.txt"]
    announced = str(merged.value(by_article["a.txt"], VNKG.sentence))
    reported = str(merged.value(by_article["b.txt"], VNKG.sentence))
    assert "sẽ thăm chính thức" in announced and "đang có chuyến thăm" in reported
    assert {announced, reported} == {str(e) for e in merged.objects(visit, VNKG.evidence)}
    for record in records:
        assert merged.value(record, VNKG.rule) == Literal("visit.trigger")
        assert int(merged.value(record, VNKG.charEnd)) > int(merged.value(record, VNKG.charStart))


def test_one_valued_properties_are_those_the_ontology_declares_functional():
    from rdflib import Graph
    from rdflib.namespace import OWL

    from kg.rdf.merge import functional_properties
    from kg.resources import ontology_dir

    ontology = Graph().parse(ontology_dir() / "vnkg.ttl")
    declared = {p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty) if str(p).startswith(str(VNKG._NS))}
    assert set(functional_properties()) == declared
    assert {VNKG.status, VNKG.visitType, VNKG.startDate, VNKG.signedOn, VNKG.period} <= declared
