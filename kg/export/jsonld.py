"""JSON-LD with a compact @context: the graph triple for triple, readable by hand.

The context declares the vocabulary prefixes (vnkg, schema, prov, skos, rdfs, xsd),
one prefix per resource kind (person:, country:, visit:...) and `"@language": "vi"`,
so a Vietnamese name is a bare string ("rdfs:label": "Lương Cường") while an English
one says so ({"@value": "Laos", "@language": "en"}). Literals without a language keep
their datatype and lexical form ({"@value": "2025-04-24", "@type": "xsd:date"}), so
expanding the file gives back exactly the triples of the source graph. Nodes are one
flat @graph list, one entry per subject in the source's sorted order (blank nodes
last), written one at a time: memory does not grow with the graph.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path

from kg.export import spool
from kg.export import terms as T
from kg.export.files import atomic_output
from kg.export.source import SourceGraph

_XSD_STRING = T.XSD + "string"
_PLAIN_INT = re.compile(r"0|-?[1-9][0-9]{0,15}")


def context_for(source: SourceGraph) -> dict:
    """The @context: prefixes for the vocabularies and for the kinds of resource the graph has."""
    return {"@language": "vi", **T.VOCAB_PREFIXES, **T.prefixes_for_kinds(source.id_kinds())}


def nodes(source: SourceGraph, context: dict) -> Iterator[dict]:
    """The @graph entries, one per subject."""
    compact = _compactor(context)
    for subject, group in spool.subject_groups(source.lines()):
        key = subject if subject[0] == "_" else compact(subject[1:-1])
        props: dict[str, list] = defaultdict(list)
        for pred, obj in group:
            if pred == T.RDF_TYPE and obj[0] == "<":
                props["@type"].append(compact(obj[1:-1]))
            else:
                props[compact(pred)].append(_value(obj, compact))
        node: dict[str, object] = {"@id": key}
        for pred in sorted(props, key=lambda p: (p != "@type", p)):
            vals = sorted(props[pred], key=lambda v: json.dumps(v, ensure_ascii=False, sort_keys=True))
            node[pred] = vals[0] if len(vals) == 1 else vals
        yield node


def write_jsonld(source: SourceGraph, out: str | Path) -> Path:
    """Write the JSON-LD document (UTF-8, indented, deterministic) atomically, one node at a time."""
    context = context_for(source)
    with atomic_output(out) as stream:
        stream.write('{\n "@context": ' + _indented(context, 1) + ',\n "@graph": [')
        sep = "\n"
        for node in nodes(source, context):
            stream.write(sep + "  " + _indented(node, 2))
            sep = ",\n"
        stream.write("\n ]\n}\n")
    return Path(out)


def _indented(value, depth: int) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)


def _compactor(context: dict) -> Callable[[str], str]:
    prefixes = sorted(((k, v) for k, v in context.items() if not k.startswith("@")), key=lambda kv: -len(kv[1]))
    by_namespace = {ns: prefix for prefix, ns in prefixes}
    cache: dict[str, str] = {}

    def slow(iri: str) -> str:
        for prefix, ns in prefixes:
            if iri.startswith(ns) and len(iri) > len(ns):
                rest = iri[len(ns):]
                if not rest.startswith("//") and ":" not in rest.split("/")[0]:
                    return f"{prefix}:{rest}"
        return iri

    def compact(iri: str) -> str:
        hit = cache.get(iri)
        if hit is not None:
            return hit
        cut = max(iri.rfind("/"), iri.rfind("#")) + 1
        prefix = by_namespace.get(iri[:cut])
        rest = iri[cut:]
        if prefix is not None and rest and ":" not in rest:  # the longest namespace there can be
            result = f"{prefix}:{rest}"
        else:
            result = slow(iri)
        if len(cache) < 1024:  # predicates, classes and much-cited entities repeat; bounded all the same
            cache[iri] = result
        return result

    return compact


def _value(term: str, compact: Callable[[str], str]):
    kind = term[0]
    if kind == "<":
        return {"@id": compact(term[1:-1])}
    if kind == "_":
        return {"@id": term}
    body, dtype, lang = spool.literal_parts(term)
    value = spool.unescape(body)
    if lang:
        return value if lang == "vi" else {"@value": value, "@language": lang}
    if dtype == _XSD_STRING:
        return {"@value": value}
    # Native JSON only where expansion gives back the same lexical form.
    if dtype == T.XSD + "integer" and _PLAIN_INT.fullmatch(value):
        return int(value)
    if dtype == T.XSD + "boolean" and value in ("true", "false"):
        return value == "true"
    return {"@value": value, "@type": compact(dtype)}
