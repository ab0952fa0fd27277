"""One article's triples as canonical N-Triples lines: the unit the cache stores, workers return and the merge sorts.

The same triple always gives the same line (one escaping, no abbreviations), so two
articles stating the same thing deduplicate as equal strings and a sorted set of
lines is a deterministic serialisation of a graph.
"""
from __future__ import annotations

import re

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

_LITERAL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_LITERAL_TABLE = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)}, **_LITERAL_ESCAPES})
_TO_ESCAPE = re.compile('[\x00-\x1f\x7f"\\\\]')
_NOT_IN_IRI = frozenset('<>"{}|^`\\ ' + "".join(map(chr, range(0x21))))
_XSD_STRING = str(XSD.string)


def term(node) -> str:
    """The N-Triples form of an rdflib term."""
    if isinstance(node, URIRef):
        return f"<{_iri(node)}>"
    if isinstance(node, Literal):
        return literal(str(node), node.language, node.datatype)
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not an RDF term: {node!r}")


def iri(value: str) -> str:
    """The N-Triples form of an IRI (ValueError if it cannot be one)."""
    return f"<{_iri(value)}>"


def literal(text: str, lang: str | None = None, datatype: str | None = None) -> str:
    """The N-Triples form of a literal: `text` with a language tag, a datatype IRI, or neither."""
    if _TO_ESCAPE.search(text):
        text = text.translate(_LITERAL_TABLE)
    if lang:
        return f'"{text}"@{lang}'
    if datatype is not None and datatype != _XSD_STRING:
        return f'"{text}"^^<{_iri(datatype)}>'
    return f'"{text}"'


def _iri(iri: str) -> str:
    if _NOT_IN_IRI.isdisjoint(iri):
        return iri
    raise ValueError(f"{iri!r} does not look like a valid URI: it cannot be written as N-Triples or Turtle")


def line(s, p, o) -> str:
    """One triple as an N-Triples line, without its line end."""
    return f"{term(s)} {term(p)} {term(o)} ."


class TripleSink:
    """Collects triples, each given as three N-Triples terms (`iri`, `literal`), as distinct lines."""

    __slots__ = ("_lines",)

    def __init__(self):
        self._lines: dict[str, None] = {}

    def add(self, triple: tuple[str, str, str]) -> None:
        self._lines[f"{triple[0]} {triple[1]} {triple[2]} ."] = None

    def __len__(self) -> int:
        return len(self._lines)

    def lines(self) -> tuple[str, ...]:
        """The distinct lines, sorted."""
        return tuple(sorted(self._lines))
