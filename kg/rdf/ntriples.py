"""One article's triples as canonical N-Triples lines: the unit the cache stores, workers return and the merge sorts.

The same triple always gives the same line (one escaping, no abbreviations), so two
articles stating the same thing deduplicate as equal strings and a sorted set of
lines is a deterministic serialisation of a graph.
"""
from __future__ import annotations

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

_LITERAL_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_LITERAL_TABLE = str.maketrans({**{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F)}, **_LITERAL_ESCAPES})
_NOT_IN_IRI = frozenset('<>"{}|^`\\ ' + "".join(map(chr, range(0x21))))


def term(node) -> str:
    """The N-Triples form of an rdflib term."""
    if isinstance(node, URIRef):
        return f"<{_iri(node)}>"
    if isinstance(node, Literal):
        text = f'"{str(node).translate(_LITERAL_TABLE)}"'
        if node.language:
            return f"{text}@{node.language}"
        if node.datatype is not None and node.datatype != XSD.string:
            return f"{text}^^<{_iri(node.datatype)}>"
        return text
    if isinstance(node, BNode):
        return f"_:{node}"
    raise TypeError(f"not an RDF term: {node!r}")


def _iri(iri: str) -> str:
    if _NOT_IN_IRI.isdisjoint(iri):
        return iri
    raise ValueError(f"{iri!r} does not look like a valid URI: it cannot be written as N-Triples or Turtle")


def line(s, p, o) -> str:
    """One triple as an N-Triples line, without its line end."""
    return f"{term(s)} {term(p)} {term(o)} ."


class TripleSink:
    """Collects triples as N-Triples lines; stands in for the rdflib Graph that ArticleGraph writes into."""

    __slots__ = ("_lines",)

    def __init__(self):
        self._lines: dict[str, None] = {}

    def add(self, triple) -> None:
        self._lines[line(*triple)] = None

    def __len__(self) -> int:
        return len(self._lines)

    def lines(self) -> tuple[str, ...]:
        """The distinct lines, sorted."""
        return tuple(sorted(self._lines))
