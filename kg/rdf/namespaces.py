"""The namespaces vnkg writes, and where its ontology folder is.

`VNKG` is closed: every class, property and enumeration member of the ontology
(ontology/vnkg.ttl) is declared here, and any other name raises, so a typo such as
`VNKG.visiter` fails at once instead of minting a new predicate. This module holds
no resource IRIs; those are minted in `kg.rdf.iri` only.
"""
from __future__ import annotations


from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD, DefinedNamespace

from kg.rdf.prefixes import DATA_BASE, ONTOLOGY, RESOURCE_KINDS, VOCABULARY_PREFIXES, resource_prefixes

__all__ = [
    "VNKG", "PROV", "SCHEMA", "RDF", "RDFS", "SKOS", "XSD", "OWL",
    "DATA_BASE", "RESOURCE_KINDS", "bind_prefixes", "turtle_prefixes",
]

PROV = Namespace(VOCABULARY_PREFIXES["prov"])
SCHEMA = Namespace(VOCABULARY_PREFIXES["schema"])


class VNKG(DefinedNamespace):
    """The vnkg ontology: https://w3id.org/vnkg/ontology# (see ontology/vnkg.ttl)."""

    _fail = True
    _NS = Namespace(ONTOLOGY)

    # Classes
    Person: URIRef
    Country: URIRef
    Organization: URIRef
    Location: URIRef
    Position: URIRef
    Fact: URIRef
    Visit: URIRef
    Meeting: URIRef
    Agreement: URIRef
    EconomicFigure: URIRef
    VisitType: URIRef
    MeetingType: URIRef
    Status: URIRef
    Indicator: URIRef
    Evidence: URIRef

    # Visit types
    StateVisit: URIRef
    OfficialVisit: URIRef
    WorkingVisit: URIRef
    FriendshipVisit: URIRef

    # Meeting types
    Talks: URIRef
    Reception: URIRef
    CourtesyCall: URIRef
    Encounter: URIRef
    CoChairing: URIRef
    PhoneCall: URIRef

    # Statuses, relative to the article's date
    Planned: URIRef
    Ongoing: URIRef
    Completed: URIRef

    # Economic indicators
    Trade: URIRef
    Export: URIRef
    Import: URIRef
    TradeTarget: URIRef
    RegisteredInvestment: URIRef
    RealizedInvestment: URIRef

    # Object properties
    nationality: URIRef
    holdsPosition: URIRef
    ofCountry: URIRef
    ofOrganization: URIRef
    visitor: URIRef
    destination: URIRef
    visitType: URIRef
    invitedBy: URIRef
    status: URIRef
    participant: URIRef
    meetingType: URIRef
    place: URIRef
    party: URIRef
    signedBy: URIRef
    indicator: URIRef
    fromCountry: URIRef
    toCountry: URIRef
    between: URIRef
    visited: URIRef
    metWith: URIRef
    country: URIRef
    attestedBy: URIRef

    # Datatype properties
    title: URIRef
    startDate: URIRef
    endDate: URIRef
    date: URIRef
    signedOn: URIRef
    value: URIRef
    maxValue: URIRef
    unit: URIRef
    period: URIRef
    changePercent: URIRef
    changeFactor: URIRef
    projectCount: URIRef
    evidence: URIRef
    sentence: URIRef
    charStart: URIRef
    charEnd: URIRef
    rule: URIRef
    confidence: URIRef
    dateNote: URIRef
    sourceFile: URIRef
    sourceLine: URIRef


def bind_prefixes(graph: Graph, base: str = DATA_BASE) -> Graph:
    """Bind the vocabulary prefixes and one prefix per resource kind (`person:`, `visit:`...) on `graph`."""
    for prefix, namespace in VOCABULARY_PREFIXES.items():
        if prefix != "rdf":
            graph.bind(prefix, Namespace(namespace), override=True, replace=True)
    # Turtle local names cannot hold "/", so one `id:` prefix would abbreviate nothing.
    for kind, namespace in resource_prefixes(base).items():
        graph.bind(kind, Namespace(namespace), override=True, replace=True)
    return graph


def turtle_prefixes(base: str = DATA_BASE) -> str:
    """The @prefix lines of the prefixes `bind_prefixes` binds, for Turtle written as text."""
    graph = bind_prefixes(Graph(), base)
    wanted = {p for p in VOCABULARY_PREFIXES if p != "rdf"} | set(RESOURCE_KINDS)
    return "".join(f"@prefix {prefix}: <{namespace}> .\n"
                   for prefix, namespace in sorted(graph.namespaces()) if prefix in wanted)
