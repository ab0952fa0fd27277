"""The vocabulary the exporters read, as plain IRI strings, and the prefixes they write.

Only reads terms the graph contract (SCHEMA.md) defines; it never mints resource IRIs
(kg.rdf.iri does that). Per-kind id prefixes (`person:`, `country:`...) follow the
data base the graph uses, which is found from the IRIs themselves.
"""
from __future__ import annotations

import re

from kg.rdf.iri import DEFAULT_BASE, KINDS

VNKG = "https://w3id.org/vnkg/ontology#"
SCHEMA = "https://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"

RDF_TYPE = RDF + "type"
RDF_LANGSTRING = RDF + "langString"
RDFS_LABEL = RDFS + "label"
SKOS_ALTLABEL = SKOS + "altLabel"
VNKG_TITLE = VNKG + "title"
VNKG_EVIDENCE = VNKG + "evidence"
VNKG_SOURCEFILE = VNKG + "sourceFile"
PROV_DERIVED = PROV + "wasDerivedFrom"
SCHEMA_HEADLINE = SCHEMA + "headline"
SCHEMA_MENTIONS = SCHEMA + "mentions"
SCHEMA_ARTICLE = SCHEMA + "NewsArticle"

VOCAB_PREFIXES: dict[str, str] = {
    "vnkg": VNKG,
    "schema": SCHEMA,
    "prov": PROV,
    "skos": SKOS,
    "rdfs": RDFS,
    "rdf": RDF,
    "xsd": XSD,
}

# Node labels in the property graph, by the IRI path segment a resource is minted under.
KIND_LABELS: dict[str, str] = {
    "person": "Person",
    "country": "Country",
    "organization": "Organization",
    "location": "Location",
    "position": "Position",
    "visit": "Visit",
    "meeting": "Meeting",
    "agreement": "Agreement",
    "figure": "EconomicFigure",
    "article": "Article",
}

_KIND_IRI = re.compile(r"^(?P<base>.+/)(?P<kind>" + "|".join(KINDS) + r")/[^/#?]+$")


def kind_of(iri: str) -> tuple[str, str] | None:
    """(data base, kind) of a resource IRI minted by kg.rdf.iri, or None for any other IRI."""
    m = _KIND_IRI.match(iri)
    return (m.group("base"), m.group("kind")) if m else None


def id_prefixes(iris) -> dict[str, str]:
    """Per-kind prefixes (`person:` -> <base>person/) for the kinds and bases the IRIs use.

    The usual base gets the bare kind name; a second base in the same graph (rare: a
    configurable base) is left unprefixed rather than given an invented name.
    """
    return prefixes_for_kinds(hit for iri in iris if (hit := kind_of(iri)))


def prefixes_for_kinds(pairs) -> dict[str, str]:
    """id_prefixes from the (data base, kind) pairs of the IRIs instead of the IRIs themselves."""
    found: dict[str, set[str]] = {}
    for base, kind in pairs:
        found.setdefault(kind, set()).add(base)
    prefixes = {}
    for kind in KINDS:
        bases = found.get(kind)
        if not bases:
            continue
        base = DEFAULT_BASE if DEFAULT_BASE in bases else sorted(bases)[0]
        prefixes[kind] = f"{base}{kind}/"
    return prefixes


def local_name(iri: str) -> str:
    """The part of an IRI after its last '#' or '/'."""
    return re.split(r"[#/]", iri.rstrip("/#"))[-1] or iri
