"""The ontology (ontology/vnkg.ttl), the closed VNKG namespace and the shapes agree with each other."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib import namespace as rdfns
from rdflib.namespace import FOAF, OWL, RDF, RDFS, SKOS, get_annotations

from kg.rdf import iri
from kg.rdf.namespaces import DATA_BASE, PROV, RESOURCE_KINDS, SCHEMA, VNKG, bind_prefixes
from kg.resources import ontology_dir

# rdflib's XSD warns on names it does not know, and pytest probes module attributes for some.
XSD = Namespace(str(rdfns.XSD))

ONTOLOGY_DIR = ontology_dir()
TESTS_DATA = Path(__file__).resolve().parent.parent / "data"
NS = str(VNKG._NS)

CLASSES = ["Person", "Country", "Organization", "Location", "Position", "Fact", "Visit", "Meeting",
           "Agreement", "EconomicFigure", "VisitType", "MeetingType", "Status", "Indicator", "Evidence"]
ENUMERATIONS = {
    "VisitType": ["StateVisit", "OfficialVisit", "WorkingVisit", "FriendshipVisit"],
    "MeetingType": ["Talks", "Reception", "CourtesyCall", "Encounter", "CoChairing", "PhoneCall"],
    "Status": ["Planned", "Ongoing", "Completed"],
    "Indicator": ["Trade", "Export", "Import", "TradeTarget", "RegisteredInvestment", "RealizedInvestment"],
}
OBJECT_PROPERTIES = ["nationality", "holdsPosition", "ofCountry", "ofOrganization", "visitor", "destination",
                     "visitType", "invitedBy", "status", "participant", "meetingType", "place", "party", "signedBy",
                     "indicator", "fromCountry", "toCountry", "between", "visited", "metWith", "country",
                     "attestedBy"]
DATATYPE_PROPERTIES = ["title", "startDate", "endDate", "date", "signedOn", "value", "maxValue", "unit", "period",
                       "changePercent", "changeFactor", "projectCount", "evidence", "sentence", "charStart", "charEnd",
                       "rule",
                       "confidence", "dateNote", "sourceFile", "sourceLine"]
INDIVIDUALS = [member for members in ENUMERATIONS.values() for member in members]
ALL_TERMS = CLASSES + INDIVIDUALS + OBJECT_PROPERTIES + DATATYPE_PROPERTIES


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "vnkg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


def declared_terms() -> set[str]:
    return {name for name in get_annotations(VNKG) if not name.startswith("_")}


def vnkg_iris(graph: Graph) -> set[str]:
    return {str(term)[len(NS):] for triple in graph for term in triple
            if isinstance(term, URIRef) and str(term).startswith(NS)}


def test_namespace_declares_exactly_the_documented_terms():
    assert declared_terms() == set(ALL_TERMS)


@pytest.mark.parametrize("term", ALL_TERMS)
def test_every_term_is_typed_and_labelled_in_vietnamese_and_english(ontology, term):
    node = VNKG[term]
    assert set(ontology.objects(node, RDF.type)), f"vnkg:{term} has no rdf:type in vnkg.ttl"
    languages = {label.language for label in ontology.objects(node, RDFS.label)}
    assert {"vi", "en"} <= languages, f"vnkg:{term} labels: {languages}"
    assert any(c.language == "en" for c in ontology.objects(node, RDFS.comment)), f"vnkg:{term} has no @en comment"


@pytest.mark.parametrize("source", ["vnkg.ttl", "shapes.ttl"])
def test_every_vnkg_term_in_the_ontology_files_is_in_the_closed_namespace(source):
    graph = Graph().parse(ONTOLOGY_DIR / source, format="turtle")
    assert vnkg_iris(graph) - declared_terms() == set()


def test_sample_graph_uses_only_terms_of_the_closed_namespace():
    graph = Graph().parse(TESTS_DATA / "graph_small.ttl", format="turtle")
    assert vnkg_iris(graph) - declared_terms() == set()


@pytest.mark.parametrize("typo", ["visiter", "participants", "Visits", "person", "sourcefile", "value_"])
def test_a_misspelt_term_raises(typo):
    with pytest.raises(AttributeError, match=typo):
        getattr(VNKG, typo)


@pytest.mark.parametrize("term", ["visitor", "Person", "title", "value", "date", "country", "Country"])
def test_a_declared_term_is_an_iri_in_the_vnkg_namespace(term):
    assert getattr(VNKG, term) == URIRef(NS + term)


@pytest.mark.parametrize(("terms", "owl_type"), [
    (CLASSES, OWL.Class),
    (OBJECT_PROPERTIES, OWL.ObjectProperty),
    (DATATYPE_PROPERTIES, OWL.DatatypeProperty),
    (INDIVIDUALS, OWL.NamedIndividual),
])
def test_terms_have_their_owl_kind(ontology, terms, owl_type):
    assert [t for t in terms if (VNKG[t], RDF.type, owl_type) not in ontology] == []


@pytest.mark.parametrize("prop", OBJECT_PROPERTIES + DATATYPE_PROPERTIES)
def test_every_property_has_a_domain_and_a_range(ontology, prop):
    assert ontology.value(VNKG[prop], RDFS.domain) is not None
    assert ontology.value(VNKG[prop], RDFS.range) is not None


@pytest.mark.parametrize(("enumeration", "members"), ENUMERATIONS.items())
def test_enumerations_list_their_members_as_concepts(ontology, enumeration, members):
    one_of = [ontology.value(eq, OWL.oneOf) for eq in ontology.objects(VNKG[enumeration], OWL.equivalentClass)]
    assert [list(Collection(ontology, head)) for head in one_of if head is not None] == [[VNKG[m] for m in members]]
    for member in members:
        assert {VNKG[enumeration], SKOS.Concept} <= set(ontology.objects(VNKG[member], RDF.type))
        assert {p.language for p in ontology.objects(VNKG[member], SKOS.prefLabel)} == {"vi", "en"}


@pytest.mark.parametrize(("member", "vietnamese"), [
    ("StateVisit", "thăm cấp Nhà nước"), ("OfficialVisit", "thăm chính thức"), ("WorkingVisit", "thăm làm việc"),
    ("FriendshipVisit", "thăm hữu nghị"), ("Talks", "hội đàm"), ("Reception", "tiếp"), ("CourtesyCall", "hội kiến"),
    ("Encounter", "gặp"), ("CoChairing", "đồng chủ trì"), ("PhoneCall", "điện đàm"),
])
def test_enumeration_members_carry_the_vietnamese_wording_of_the_news(ontology, member, vietnamese):
    assert Literal(vietnamese, lang="vi") in set(ontology.objects(VNKG[member], SKOS.prefLabel))


@pytest.mark.parametrize("alt", ["gặp gỡ", "tiếp xúc"])
def test_encounter_covers_the_other_verbs_for_meeting(ontology, alt):
    assert Literal(alt, lang="vi") in set(ontology.objects(VNKG.Encounter, SKOS.altLabel))


@pytest.mark.parametrize("fact", ["Visit", "Meeting", "Agreement", "EconomicFigure", "Position"])
def test_facts_are_provenance_entities(ontology, fact):
    assert (VNKG[fact], RDFS.subClassOf, VNKG.Fact) in ontology
    assert (VNKG.Fact, RDFS.subClassOf, PROV.Entity) in ontology


@pytest.mark.parametrize(("term", "relation", "external"), [
    (VNKG.Person, RDFS.subClassOf, SCHEMA.Person),
    (VNKG.Person, RDFS.subClassOf, FOAF.Person),
    (VNKG.Organization, RDFS.subClassOf, SCHEMA.Organization),
    (VNKG.Organization, RDFS.subClassOf, FOAF.Organization),
    (VNKG.Country, RDFS.subClassOf, SCHEMA.Country),
    (VNKG.Location, RDFS.subClassOf, SCHEMA.Place),
    (VNKG.Meeting, RDFS.subClassOf, SCHEMA.Event),
    (VNKG.Visit, RDFS.subClassOf, SCHEMA.Event),
    (VNKG.participant, RDFS.subPropertyOf, SCHEMA.attendee),
    (VNKG.nationality, RDFS.subPropertyOf, SCHEMA.nationality),
    (VNKG.evidence, RDFS.seeAlso, PROV.value),
    (SCHEMA.NewsArticle, RDFS.subClassOf, PROV.Entity),
])
def test_terms_are_aligned_with_schema_foaf_and_prov(ontology, term, relation, external):
    assert (term, relation, external) in ontology


def test_met_with_is_symmetric(ontology):
    assert (VNKG.metWith, RDF.type, OWL.SymmetricProperty) in ontology


@pytest.mark.parametrize("prop", ["startDate", "endDate", "date", "signedOn"])
def test_date_properties_accept_the_four_date_datatypes(ontology, prop):
    union = ontology.value(ontology.value(VNKG[prop], RDFS.range), OWL.unionOf)
    assert set(Collection(ontology, union)) == {XSD.date, XSD.gYearMonth, XSD.gYear, XSD.gMonthDay}


@pytest.mark.parametrize(("prop", "datatype"), [
    ("value", XSD.decimal), ("maxValue", XSD.decimal), ("changePercent", XSD.decimal),
    ("changeFactor", XSD.decimal), ("projectCount", XSD.integer), ("unit", XSD.string), ("period", XSD.string),
    ("charStart", XSD.integer), ("charEnd", XSD.integer), ("sourceLine", XSD.integer),
    ("sourceFile", XSD.string), ("rule", XSD.string), ("dateNote", XSD.string),
    ("title", RDF.langString), ("evidence", RDF.langString),
])
def test_datatype_properties_have_their_datatype(ontology, prop, datatype):
    assert ontology.value(VNKG[prop], RDFS.range) == datatype


def test_ontology_header_has_version_label_and_comment(ontology):
    header = URIRef("https://w3id.org/vnkg/ontology")
    assert (header, RDF.type, OWL.Ontology) in ontology
    assert ontology.value(header, OWL.versionInfo) is not None
    assert {label.language for label in ontology.objects(header, RDFS.label)} >= {"vi", "en"}
    assert ontology.value(header, RDFS.comment) is not None


@pytest.mark.parametrize("source", ["vnkg.ttl", "shapes.ttl"])
def test_ontology_files_parse_alike_with_rdflib_and_oxigraph(source):
    path = ONTOLOGY_DIR / source
    by_rdflib = Graph().parse(path, format="turtle")
    by_oxigraph = list(pyoxigraph.parse(path=str(path), format=pyoxigraph.RdfFormat.TURTLE))
    assert len(by_oxigraph) == len(by_rdflib)
    ground = {(str(q.subject.value), str(q.predicate.value), str(q.object.value)) for q in by_oxigraph
              if not isinstance(q.subject, pyoxigraph.BlankNode) and not isinstance(q.object, pyoxigraph.BlankNode)}
    expected = {(str(s), str(p), str(o)) for s, p, o in by_rdflib
                if not isinstance(s, BNode) and not isinstance(o, BNode)}
    assert ground == expected


def test_namespaces_use_the_contract_iris():
    assert str(SCHEMA) == "https://schema.org/"
    assert str(PROV) == "http://www.w3.org/ns/prov#"
    assert NS == "https://w3id.org/vnkg/ontology#"
    assert DATA_BASE == "https://w3id.org/vnkg/id/"


def test_resource_kinds_match_the_iri_minter():
    assert RESOURCE_KINDS == iri.KINDS


@pytest.mark.parametrize("base", [DATA_BASE, "http://example.org/kg/", "http://example.org/kg"])
def test_bind_prefixes_gives_one_prefix_per_resource_kind(base):
    graph = bind_prefixes(Graph(), base=base)
    bound = {prefix: str(ns) for prefix, ns in graph.namespaces()}
    stem = base if base.endswith("/") else base + "/"
    for kind in RESOURCE_KINDS:
        assert bound[kind] == f"{stem}{kind}/"
    for prefix, namespace in {"vnkg": NS, "prov": str(PROV), "schema": str(SCHEMA), "skos": str(SKOS),
                              "rdfs": str(RDFS), "xsd": str(XSD), "owl": str(OWL)}.items():
        assert bound[prefix] == namespace


def test_bound_prefixes_abbreviate_resources_in_turtle():
    graph = bind_prefixes(Graph())
    graph.parse(TESTS_DATA / "graph_small.ttl", format="turtle")
    turtle = graph.serialize(format="turtle")
    assert "person:luong-cuong a vnkg:Person" in turtle
    assert "vnkg:destination country:lao" in turtle
    body = "\n".join(line for line in turtle.splitlines() if not line.startswith("@prefix"))
    assert "<https://w3id.org/vnkg/id/" not in body


def test_ontology_dir_holds_the_ontology_files():
    assert (ontology_dir() / "vnkg.ttl").is_file()
    assert (ontology_dir() / "shapes.ttl").is_file()


def test_ontology_dir_follows_the_environment_variable(monkeypatch, tmp_path):
    monkeypatch.setenv("VNKG_ONTOLOGY_DIR", str(tmp_path))
    assert ontology_dir() == tmp_path.resolve()
