"""SHACL validation: graphs that keep the contract pass, and each broken rule is reported on the right node."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.errors import OntologyError, VnkgError
from kg.rdf.namespaces import PROV, SCHEMA, VNKG
from kg.rdf.validate import Violation, validate

TESTS_DATA = Path(__file__).resolve().parent.parent / "data"
ID = "https://w3id.org/vnkg/id/"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"

PREFIXES = """
PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX person: <https://w3id.org/vnkg/id/person/>
PREFIX country: <https://w3id.org/vnkg/id/country/>
PREFIX organization: <https://w3id.org/vnkg/id/organization/>
PREFIX location: <https://w3id.org/vnkg/id/location/>
PREFIX position: <https://w3id.org/vnkg/id/position/>
PREFIX visit: <https://w3id.org/vnkg/id/visit/>
PREFIX meeting: <https://w3id.org/vnkg/id/meeting/>
PREFIX agreement: <https://w3id.org/vnkg/id/agreement/>
PREFIX figure: <https://w3id.org/vnkg/id/figure/>
PREFIX article: <https://w3id.org/vnkg/id/article/>
"""

# One of each kind of node, keeping every rule of the contract.
CONFORMING = PREFIXES + """
<https://w3id.org/vnkg/id/article/aa01> a schema:NewsArticle ;
    vnkg:sourceFile "007_trade.txt" ; vnkg:sourceLine 3 ;
    schema:headline "Thủ tướng tiếp Đại sứ Campuchia"@vi ;
    schema:datePublished "2024-03-08"^^xsd:date ;
    schema:author "Minh Anh" ;
    schema:publisher <https://w3id.org/vnkg/id/organization/bao-mau> ;
    schema:mentions <https://w3id.org/vnkg/id/person/pham-minh-chinh>, <https://w3id.org/vnkg/id/country/campuchia>,
        <https://w3id.org/vnkg/id/location/ha-noi>, <https://w3id.org/vnkg/id/organization/bao-mau> .

<https://w3id.org/vnkg/id/organization/bao-mau> a vnkg:Organization ; rdfs:label "Báo Mẫu"@vi ;
    vnkg:country <https://w3id.org/vnkg/id/country/viet-nam> .
<https://w3id.org/vnkg/id/country/viet-nam> a vnkg:Country ; rdfs:label "Việt Nam"@vi, "Vietnam"@en .
<https://w3id.org/vnkg/id/country/campuchia> a vnkg:Country ; rdfs:label "Campuchia"@vi .
<https://w3id.org/vnkg/id/location/ha-noi> a vnkg:Location ; rdfs:label "Hà Nội"@vi ;
    vnkg:country <https://w3id.org/vnkg/id/country/viet-nam> .

<https://w3id.org/vnkg/id/person/pham-minh-chinh> a vnkg:Person ; rdfs:label "Phạm Minh Chính"@vi ;
    vnkg:nationality <https://w3id.org/vnkg/id/country/viet-nam> ;
    vnkg:holdsPosition <https://w3id.org/vnkg/id/position/thu-tuong-viet-nam> ;
    vnkg:metWith <https://w3id.org/vnkg/id/person/hun-manet> .
<https://w3id.org/vnkg/id/person/hun-manet> a vnkg:Person ; rdfs:label "Hun Manet"@vi, "Hun Manet"@en ;
    vnkg:visited <https://w3id.org/vnkg/id/country/viet-nam> ;
    vnkg:metWith <https://w3id.org/vnkg/id/person/pham-minh-chinh> .

<https://w3id.org/vnkg/id/position/thu-tuong-viet-nam> a vnkg:Position ; vnkg:title "Thủ tướng"@vi ;
    vnkg:ofCountry <https://w3id.org/vnkg/id/country/viet-nam> ;
    prov:wasDerivedFrom <https://w3id.org/vnkg/id/article/aa01> ;
    vnkg:evidence "Thủ tướng Phạm Minh Chính tiếp Thủ tướng Campuchia Hun Manet."@vi .

<https://w3id.org/vnkg/id/visit/bb01> a vnkg:Visit ;
    vnkg:visitor <https://w3id.org/vnkg/id/person/hun-manet> ;
    vnkg:destination <https://w3id.org/vnkg/id/country/viet-nam> ;
    vnkg:startDate "2024-03-07"^^xsd:date ; vnkg:endDate "2024-03-08"^^xsd:date ; vnkg:date "--03-08"^^xsd:gMonthDay ;
    vnkg:visitType vnkg:OfficialVisit ; vnkg:status vnkg:Ongoing ;
    vnkg:invitedBy <https://w3id.org/vnkg/id/person/pham-minh-chinh> ;
    prov:wasDerivedFrom <https://w3id.org/vnkg/id/article/aa01> ;
    vnkg:evidence "Thủ tướng Campuchia Hun Manet thăm chính thức Việt Nam."@vi ;
    vnkg:charStart 0 ; vnkg:charEnd 55 ; vnkg:rule "visit.subject-verb-object" ; vnkg:confidence 0.9 ;
    vnkg:dateNote "year from the article's date" .

<https://w3id.org/vnkg/id/meeting/cc01> a vnkg:Meeting ;
    vnkg:participant <https://w3id.org/vnkg/id/person/pham-minh-chinh>, <https://w3id.org/vnkg/id/person/hun-manet> ;
    vnkg:meetingType vnkg:Reception ; vnkg:date "2024-03"^^xsd:gYearMonth ;
    vnkg:place <https://w3id.org/vnkg/id/location/ha-noi> ;
    prov:wasDerivedFrom <https://w3id.org/vnkg/id/article/aa01> ;
    vnkg:evidence "Thủ tướng Phạm Minh Chính tiếp Thủ tướng Campuchia Hun Manet."@vi .

<https://w3id.org/vnkg/id/agreement/dd01> a vnkg:Agreement ;
    rdfs:label "Bản ghi nhớ hợp tác thương mại"@vi ;
    vnkg:party <https://w3id.org/vnkg/id/country/viet-nam>, <https://w3id.org/vnkg/id/organization/bao-mau> ;
    vnkg:signedOn "2024"^^xsd:gYear ; vnkg:signedBy <https://w3id.org/vnkg/id/person/pham-minh-chinh> ;
    prov:wasDerivedFrom <https://w3id.org/vnkg/id/article/aa01> ;
    vnkg:evidence "Hai bên ký Bản ghi nhớ hợp tác thương mại."@vi .

<https://w3id.org/vnkg/id/figure/ee01> a vnkg:EconomicFigure ;
    vnkg:indicator vnkg:RegisteredInvestment ; vnkg:value 5000000000.0 ; vnkg:maxValue 10000000000.0 ;
    vnkg:unit "USD" ; vnkg:period "2023-01/2023-11" ; vnkg:changePercent -3.2 ; vnkg:changeFactor 7.5 ;
    vnkg:projectCount 210 ;
    vnkg:fromCountry <https://w3id.org/vnkg/id/country/viet-nam> ;
    vnkg:toCountry <https://w3id.org/vnkg/id/country/campuchia> ;
    prov:wasDerivedFrom <https://w3id.org/vnkg/id/article/aa01> ;
    vnkg:evidence "Việt Nam có 210 dự án đầu tư tại Campuchia với tổng vốn đăng ký 5-10 tỷ USD."@vi ;
    vnkg:confidence 1.0 ; vnkg:charStart 120 ; vnkg:charEnd 190 .
"""

ARTICLE = ID + "article/aa01"
PERSON = ID + "person/hun-manet"
POSITION = ID + "position/thu-tuong-viet-nam"
VISIT = ID + "visit/bb01"
MEETING = ID + "meeting/cc01"
AGREEMENT = ID + "agreement/dd01"
FIGURE = ID + "figure/ee01"
COUNTRY = ID + "country/campuchia"


def conforming_graph() -> Graph:
    return Graph().parse(data=CONFORMING, format="turtle")


def broken(update: str) -> Graph:
    graph = conforming_graph()
    graph.update(PREFIXES + update)
    return graph


def where(violations: list[Violation]) -> set[tuple[str, str | None]]:
    return {(v.focus, v.path) for v in violations}


@pytest.mark.parametrize("graph", [
    pytest.param(conforming_graph(), id="hand-built"),
    pytest.param(Graph().parse(TESTS_DATA / "graph_small.ttl", format="turtle"), id="tests-data-graph-small"),
])
def test_graph_keeping_the_contract_has_no_violations(graph):
    assert validate(graph) == []


# (what is broken, SPARQL update that breaks it, focus node, property path)
BREAKAGES = [
    ("person-without-vi-label",
     'DELETE DATA { person:hun-manet rdfs:label "Hun Manet"@vi }', PERSON, RDFS_LABEL),
    ("person-without-any-label",
     'DELETE WHERE { person:hun-manet rdfs:label ?l }', PERSON, RDFS_LABEL),
    ("person-name-untagged",
     'DELETE WHERE { person:hun-manet rdfs:label ?l } ; INSERT DATA { person:hun-manet rdfs:label "Hun Manet" }',
     PERSON, RDFS_LABEL),
    ("person-nationality-not-a-country",
     'INSERT DATA { person:hun-manet vnkg:nationality location:ha-noi }', PERSON, str(VNKG.nationality)),
    ("country-without-label",
     'DELETE WHERE { country:campuchia rdfs:label ?l }', COUNTRY, RDFS_LABEL),
    ("visit-with-two-visitors",
     'INSERT DATA { visit:bb01 vnkg:visitor person:pham-minh-chinh }', VISIT, str(VNKG.visitor)),
    ("visit-without-visitor",
     'DELETE WHERE { visit:bb01 vnkg:visitor ?p }', VISIT, str(VNKG.visitor)),
    ("visit-by-a-country",
     'DELETE WHERE { visit:bb01 vnkg:visitor ?p } ; INSERT DATA { visit:bb01 vnkg:visitor country:campuchia }',
     VISIT, str(VNKG.visitor)),
    ("visit-without-destination",
     'DELETE WHERE { visit:bb01 vnkg:destination ?d }', VISIT, str(VNKG.destination)),
    ("visit-to-a-person",
     'DELETE WHERE { visit:bb01 vnkg:destination ?d } ; '
     'INSERT DATA { visit:bb01 vnkg:destination person:pham-minh-chinh }', VISIT, str(VNKG.destination)),
    ("visit-date-as-text",
     'INSERT DATA { visit:bb01 vnkg:date "sáng 6/1" }', VISIT, str(VNKG.date)),
    ("visit-start-as-datetime",
     'DELETE WHERE { visit:bb01 vnkg:startDate ?d } ; '
     'INSERT DATA { visit:bb01 vnkg:startDate "2024-03-07T00:00:00"^^xsd:dateTime }', VISIT, str(VNKG.startDate)),
    ("visit-type-outside-enumeration",
     'DELETE WHERE { visit:bb01 vnkg:visitType ?t } ; INSERT DATA { visit:bb01 vnkg:visitType vnkg:Talks }',
     VISIT, str(VNKG.visitType)),
    ("visit-with-two-types",
     'INSERT DATA { visit:bb01 vnkg:visitType vnkg:StateVisit }', VISIT, str(VNKG.visitType)),
    ("visit-with-two-statuses",
     'INSERT DATA { visit:bb01 vnkg:status vnkg:Completed }', VISIT, str(VNKG.status)),
    ("meeting-with-one-participant",
     'DELETE DATA { meeting:cc01 vnkg:participant person:hun-manet }', MEETING, str(VNKG.participant)),
    ("meeting-with-a-country-participant",
     'INSERT DATA { meeting:cc01 vnkg:participant country:campuchia }', MEETING, str(VNKG.participant)),
    ("meeting-with-two-types",
     'INSERT DATA { meeting:cc01 vnkg:meetingType vnkg:Talks }', MEETING, str(VNKG.meetingType)),
    ("fact-without-provenance",
     'DELETE WHERE { figure:ee01 prov:wasDerivedFrom ?a }', FIGURE, str(PROV.wasDerivedFrom)),
    ("fact-derived-from-a-person",
     'DELETE WHERE { meeting:cc01 prov:wasDerivedFrom ?a } ; '
     'INSERT DATA { meeting:cc01 prov:wasDerivedFrom person:hun-manet }', MEETING, str(PROV.wasDerivedFrom)),
    ("fact-without-evidence",
     'DELETE WHERE { agreement:dd01 vnkg:evidence ?e }', AGREEMENT, str(VNKG.evidence)),
    ("evidence-without-language",
     'DELETE WHERE { visit:bb01 vnkg:evidence ?e } ; INSERT DATA { visit:bb01 vnkg:evidence "Hun Manet thăm." }',
     VISIT, str(VNKG.evidence)),
    ("position-without-provenance",
     'DELETE WHERE { position:thu-tuong-viet-nam prov:wasDerivedFrom ?a }', POSITION, str(PROV.wasDerivedFrom)),
    ("position-without-country-or-organization",
     'DELETE WHERE { position:thu-tuong-viet-nam vnkg:ofCountry ?c }', POSITION, None),
    ("position-with-two-titles",
     'INSERT DATA { position:thu-tuong-viet-nam vnkg:title "Thủ tướng Chính phủ"@vi }', POSITION, str(VNKG.title)),
    ("position-title-untagged",
     'DELETE WHERE { position:thu-tuong-viet-nam vnkg:title ?t } ; '
     'INSERT DATA { position:thu-tuong-viet-nam vnkg:title "Thủ tướng" }', POSITION, str(VNKG.title)),
    ("agreement-without-label",
     'DELETE WHERE { agreement:dd01 rdfs:label ?l }', AGREEMENT, RDFS_LABEL),
    ("agreement-with-two-labels",
     'INSERT DATA { agreement:dd01 rdfs:label "MOU"@en }', AGREEMENT, RDFS_LABEL),
    ("agreement-party-a-person",
     'INSERT DATA { agreement:dd01 vnkg:party person:hun-manet }', AGREEMENT, str(VNKG.party)),
    ("figure-with-a-string-value",
     'DELETE WHERE { figure:ee01 vnkg:value ?v } ; INSERT DATA { figure:ee01 vnkg:value "5 tỷ USD" }',
     FIGURE, str(VNKG.value)),
    ("figure-with-a-double-value",
     'DELETE WHERE { figure:ee01 vnkg:value ?v } ; INSERT DATA { figure:ee01 vnkg:value "5.0E9"^^xsd:double }',
     FIGURE, str(VNKG.value)),
    ("figure-with-two-values",
     'INSERT DATA { figure:ee01 vnkg:value 7.0 }', FIGURE, str(VNKG.value)),
    ("figure-without-indicator",
     'DELETE WHERE { figure:ee01 vnkg:indicator ?i }', FIGURE, str(VNKG.indicator)),
    ("figure-indicator-outside-enumeration",
     'DELETE WHERE { figure:ee01 vnkg:indicator ?i } ; INSERT DATA { figure:ee01 vnkg:indicator vnkg:Planned }',
     FIGURE, str(VNKG.indicator)),
    ("figure-project-count-decimal",
     'DELETE WHERE { figure:ee01 vnkg:projectCount ?n } ; INSERT DATA { figure:ee01 vnkg:projectCount 2.5 }',
     FIGURE, str(VNKG.projectCount)),
    ("figure-change-percent-as-text",
     'DELETE WHERE { figure:ee01 vnkg:changePercent ?c } ; INSERT DATA { figure:ee01 vnkg:changePercent "3,2%" }',
     FIGURE, str(VNKG.changePercent)),
    ("figure-unit-tagged",
     'DELETE WHERE { figure:ee01 vnkg:unit ?u } ; INSERT DATA { figure:ee01 vnkg:unit "USD"@en }',
     FIGURE, str(VNKG.unit)),
    ("confidence-above-one",
     'DELETE WHERE { visit:bb01 vnkg:confidence ?c } ; INSERT DATA { visit:bb01 vnkg:confidence 1.5 }',
     VISIT, str(VNKG.confidence)),
    ("negative-char-start",
     'DELETE WHERE { visit:bb01 vnkg:charStart ?c } ; INSERT DATA { visit:bb01 vnkg:charStart -1 }',
     VISIT, str(VNKG.charStart)),
    ("char-end-as-text",
     'DELETE WHERE { figure:ee01 vnkg:charEnd ?c } ; INSERT DATA { figure:ee01 vnkg:charEnd "190" }',
     FIGURE, str(VNKG.charEnd)),
    ("article-without-source-file",
     'DELETE WHERE { article:aa01 vnkg:sourceFile ?f }', ARTICLE, str(VNKG.sourceFile)),
    ("article-source-file-with-folders",
     'DELETE WHERE { article:aa01 vnkg:sourceFile ?f } ; '
     'INSERT DATA { article:aa01 vnkg:sourceFile "data/articles/007_trade.txt" }', ARTICLE, str(VNKG.sourceFile)),
    ("article-with-two-source-lines",  # two files with the same text are two sourceFile values, one sourceLine
     'INSERT DATA { article:aa01 vnkg:sourceLine 9 }', ARTICLE, str(VNKG.sourceLine)),
    ("article-with-two-headlines",
     'INSERT DATA { article:aa01 schema:headline "Tin khác"@vi }', ARTICLE, str(SCHEMA.headline)),
    ("article-date-as-text",
     'DELETE WHERE { article:aa01 schema:datePublished ?d } ; '
     'INSERT DATA { article:aa01 schema:datePublished "08/03/2024" }', ARTICLE, str(SCHEMA.datePublished)),
    ("article-mentions-a-fact",
     'INSERT DATA { article:aa01 schema:mentions visit:bb01 }', ARTICLE, str(SCHEMA.mentions)),
]


@pytest.mark.parametrize(("update", "focus", "path"), [pytest.param(*b[1:], id=b[0]) for b in BREAKAGES])
def test_each_broken_rule_is_reported_on_its_node_and_property(update, focus, path):
    violations = validate(broken(update))
    assert where(violations) == {(focus, path)}, "\n".join(map(str, violations))
    assert all(v.severity == "Violation" and v.message for v in violations)


def test_a_node_typed_only_as_fact_needs_provenance_too():
    graph = conforming_graph()
    graph.update(PREFIXES + 'INSERT DATA { figure:ff01 a vnkg:Fact }')
    assert where(validate(graph)) == {(ID + "figure/ff01", str(PROV.wasDerivedFrom)),
                                      (ID + "figure/ff01", str(VNKG.evidence))}


@pytest.mark.parametrize(("update", "words"), [
    ('DELETE DATA { person:hun-manet rdfs:label "Hun Manet"@vi }', "@vi"),
    ('DELETE DATA { meeting:cc01 vnkg:participant person:hun-manet }', "two or more"),
    ('DELETE WHERE { article:aa01 vnkg:sourceFile ?f }', "vnkg:sourceFile"),
    ('DELETE WHERE { position:thu-tuong-viet-nam vnkg:ofCountry ?c }', "vnkg:ofOrganization"),
])
def test_messages_tell_what_the_contract_expects(update, words):
    [violation] = validate(broken(update))
    assert words in violation.message
    assert words in str(violation)


def test_report_is_sorted_and_the_same_on_every_run():
    graph = broken('DELETE DATA { meeting:cc01 vnkg:participant person:hun-manet } ; '
                   'DELETE WHERE { article:aa01 vnkg:sourceFile ?f } ; '
                   'DELETE WHERE { person:hun-manet rdfs:label ?l } ; '
                   'INSERT DATA { visit:bb01 vnkg:confidence 2.0 }')
    first = validate(graph)
    assert first == validate(graph)
    assert first == sorted(first, key=lambda v: (v.focus, v.path or "", v.message, v.severity))
    assert [v.focus for v in first] == [ARTICLE, MEETING, PERSON, VISIT]


def test_validation_leaves_the_graph_unchanged():
    graph = broken('DELETE WHERE { figure:ee01 prov:wasDerivedFrom ?a }')
    before = Graph()
    for triple in graph:
        before.add(triple)
    validate(graph)
    assert len(graph) == len(before)
    assert isomorphic(graph, before)


def test_missing_shapes_file_names_the_file_and_the_remedy(monkeypatch, tmp_path):
    monkeypatch.setenv("VNKG_ONTOLOGY_DIR", str(tmp_path))
    with pytest.raises(OntologyError, match=r"shapes\.ttl: not found.*VNKG_ONTOLOGY_DIR") as caught:
        validate(conforming_graph())
    assert isinstance(caught.value, VnkgError)


def test_broken_shapes_file_is_reported_as_such(monkeypatch, tmp_path):
    (tmp_path / "shapes.ttl").write_text("this is not turtle", encoding="utf-8")
    (tmp_path / "vnkg.ttl").write_text("", encoding="utf-8")
    monkeypatch.setenv("VNKG_ONTOLOGY_DIR", str(tmp_path))
    with pytest.raises(OntologyError, match=r"shapes\.ttl: cannot be parsed as Turtle"):
        validate(conforming_graph())


def test_shapes_from_the_environment_folder_are_used(monkeypatch, tmp_path):
    (tmp_path / "vnkg.ttl").write_text("", encoding="utf-8")
    (tmp_path / "shapes.ttl").write_text(PREFIXES + """
        PREFIX sh: <http://www.w3.org/ns/shacl#>
        <urn:shape> a sh:NodeShape ; sh:targetClass vnkg:Person ;
            sh:property [ sh:path vnkg:nationality ; sh:minCount 1 ; sh:severity sh:Warning ;
                          sh:message "nationality unknown" ] .
    """, encoding="utf-8")
    monkeypatch.setenv("VNKG_ONTOLOGY_DIR", str(tmp_path))
    assert validate(conforming_graph()) == [
        Violation(focus=PERSON, path=str(VNKG.nationality), message="nationality unknown", severity="Warning"),
    ]
