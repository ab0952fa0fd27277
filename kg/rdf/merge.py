"""Merging facts across articles: set union on stable IRIs, then one value per functional property.

Two articles may report the same visit with different words ('sẽ thăm', then 'đã
thăm'); the node is one, and where they disagree on a property that has one value,
the later state of the world wins (Completed over Ongoing over Planned) and the more
precise date wins (a full date over a month-day).
"""
from __future__ import annotations

from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, XSD

from kg.rdf.namespaces import VNKG
from kg.resources import ontology_dir

_STATUS_ORDER = {VNKG.Planned: 0, VNKG.Ongoing: 1, VNKG.Completed: 2}
_DATE_PRECISION = {XSD.date: 3, XSD.gYearMonth: 2, XSD.gMonthDay: 1, XSD.gYear: 0}


@lru_cache(maxsize=1)
def functional_properties() -> tuple[URIRef, ...]:
    """The properties the ontology (ontology/vnkg.ttl) declares owl:FunctionalProperty: one value per node."""
    ontology = Graph().parse(ontology_dir() / "vnkg.ttl", format="turtle")
    return tuple(sorted(p for p in ontology.subjects(RDF.type, OWL.FunctionalProperty)
                        if isinstance(p, URIRef) and str(p).startswith(str(VNKG._NS))))


def __getattr__(name: str):
    if name == "FUNCTIONAL":  # read lazily: nothing is parsed at import time
        return functional_properties()
    raise AttributeError(name)


def _rank(prop, value):
    if prop == VNKG.status:
        return (_STATUS_ORDER.get(value, -1), str(value))
    if isinstance(value, Literal) and value.datatype in _DATE_PRECISION:
        return (_DATE_PRECISION[value.datatype], str(value))
    return (0, str(value))


def resolve_conflicts(graph: Graph) -> int:
    """Keep one value of each functional property per node; returns how many were dropped."""
    dropped = 0
    for prop in functional_properties():
        by_subject: dict = {}
        for s, o in graph.subject_objects(prop):
            by_subject.setdefault(s, []).append(o)
        for s, values in by_subject.items():
            if len(values) < 2:
                continue
            keep = max(values, key=lambda v: _rank(prop, v))
            for v in values:
                if v != keep:
                    graph.remove((s, prop, v))
                    dropped += 1
    return dropped
