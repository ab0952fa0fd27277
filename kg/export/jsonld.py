"""JSON-LD with a compact @context: the graph triple for triple, readable by hand.

The context declares the vocabulary prefixes (vnkg, schema, prov, skos, rdfs, xsd),
one prefix per resource kind (person:, country:, visit:...) and `"@language": "vi"`,
so a Vietnamese name is a bare string ("rdfs:label": "Lương Cường") while an English
one says so ({"@value": "Laos", "@language": "en"}). Literals without a language keep
their datatype and lexical form ({"@value": "2025-04-24", "@type": "xsd:date"}), so
expanding the file gives back exactly the triples of the source graph. Nodes are one
flat, sorted @graph list.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from kg.export import terms as T
from kg.export.files import write_text
from kg.export.source import SourceGraph

_XSD_STRING = T.XSD + "string"


def context_for(source: SourceGraph) -> dict:
    """The @context: prefixes for the vocabularies and for the kinds of resource the graph has."""
    import pyoxigraph as ox

    iris = {term.value for t in source.triples for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    return {"@language": "vi", **{k: v for k, v in T.VOCAB_PREFIXES.items()}, **T.id_prefixes(iris)}


def to_jsonld(source: SourceGraph) -> dict:
    """The JSON-LD document (a dict) for the graph."""
    import pyoxigraph as ox

    context = context_for(source)
    prefixes = sorted(((k, v) for k, v in context.items() if not k.startswith("@")), key=lambda kv: -len(kv[1]))

    def compact(iri: str) -> str:
        for prefix, ns in prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                rest = iri[len(ns):]
                if not rest.startswith("//") and ":" not in rest.split("/")[0]:
                    return f"{prefix}:{rest}"
        return iri

    def node_ref(term) -> dict:
        if isinstance(term, ox.BlankNode):
            return {"@id": f"_:{term.value}"}
        return {"@id": compact(term.value)}

    def value(term):
        if not isinstance(term, ox.Literal):
            return node_ref(term)
        if term.language:
            return term.value if term.language == "vi" else {"@value": term.value, "@language": term.language}
        dtype = term.datatype.value
        if dtype == _XSD_STRING:
            return {"@value": term.value}
        # Native JSON only where expansion gives back the same lexical form.
        if dtype == T.XSD + "integer" and re.fullmatch(r"0|-?[1-9][0-9]{0,15}", term.value):
            return int(term.value)
        if dtype == T.XSD + "boolean" and term.value in ("true", "false"):
            return term.value == "true"
        return {"@value": term.value, "@type": compact(dtype)}

    subjects: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    order: dict[str, object] = {}
    for t in source.triples:
        key = ("_:" + t.subject.value) if isinstance(t.subject, ox.BlankNode) else compact(t.subject.value)
        order[key] = t.subject
        if t.predicate.value == T.RDF_TYPE and isinstance(t.object, ox.NamedNode):
            subjects[key]["@type"].append(compact(t.object.value))
        else:
            subjects[key][compact(t.predicate.value)].append(value(t.object))
    graph = []
    for key in sorted(subjects, key=lambda k: (k.startswith("_:"), k)):
        node: dict[str, object] = {"@id": key}
        props = subjects[key]
        for pred in sorted(props, key=lambda p: (p != "@type", p)):
            vals = sorted(props[pred], key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
            node[pred] = vals[0] if len(vals) == 1 else vals
        graph.append(node)
    return {"@context": context, "@graph": graph}


def write_jsonld(source: SourceGraph, out: str | Path) -> Path:
    """Write the JSON-LD document (UTF-8, indented, deterministic) atomically."""
    doc = to_jsonld(source)
    return write_text(out, json.dumps(doc, ensure_ascii=False, indent=1) + "\n")
