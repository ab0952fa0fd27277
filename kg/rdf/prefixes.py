"""The one source of vnkg's prefixes and resource kinds, as plain strings.

Kept free of rdflib so that light processes (the endpoint's query workers) can read it
without importing an RDF library; `kg.rdf.namespaces` and `kg.rdf.iri` build on it.
"""
from __future__ import annotations

DATA_BASE = "https://w3id.org/vnkg/id/"
"""The default base of resource IRIs: `<DATA_BASE>person/luong-cuong`."""

ONTOLOGY = "https://w3id.org/vnkg/ontology#"

VOCABULARY_PREFIXES: dict[str, str] = {
    "vnkg": ONTOLOGY,
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
"""The vocabularies every vnkg graph is written with."""

RESOURCE_KINDS: tuple[str, ...] = (
    "person", "country", "organization", "location", "position",
    "visit", "meeting", "agreement", "figure", "article", "evidence",
)
"""The kinds of resource under the data base; each gets its own prefix (`person:`, `visit:`...)."""


def resource_prefixes(base: str = DATA_BASE) -> dict[str, str]:
    """One prefix per resource kind under `base`."""
    if not base.endswith(("/", "#")):
        base += "/"
    return {kind: f"{base}{kind}/" for kind in RESOURCE_KINDS}
