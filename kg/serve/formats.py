"""Content negotiation and result writers for SPARQL responses.

Every result is written by Oxigraph's own writers (SELECT/ASK: JSON, XML, CSV, TSV
per the W3C result formats; graphs: Turtle, N-Triples, JSON-LD, RDF/XML), cut to the
row limit without computing the rows past it; only the HTML table for browsers is
written here. XML output stays well-formed whatever the literals hold. Pure
functions over pyoxigraph results: no I/O, no store access.
"""
from __future__ import annotations

import html
import io
import re
import sys
from dataclasses import dataclass
from typing import Iterable, Sequence

from kg.rdf.prefixes import VOCABULARY_PREFIXES, resource_prefixes

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

# Prefixes used when writing Turtle and RDF/XML, matching the graphs `kg build` writes.
PREFIXES: dict[str, str] = {
    **VOCABULARY_PREFIXES, **resource_prefixes(),
    "sd": "http://www.w3.org/ns/sparql-service-description#",
    "void": "http://rdfs.org/ns/void#",
}


@dataclass(frozen=True)
class Format:
    key: str
    media_type: str
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()   # values of the `format=` request parameter

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/") or self.media_type.endswith(("json", "xml")):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


# Server preference order: the first is what a client that accepts anything gets.
RESULT_FORMATS: tuple[Format, ...] = (
    Format("json", "application/sparql-results+json", ("application/json", "text/javascript", "application/javascript"), ("json", "srj")),
    Format("xml", "application/sparql-results+xml", ("application/xml", "text/xml"), ("xml", "srx")),
    Format("csv", "text/csv", (), ("csv",)),
    Format("tsv", "text/tab-separated-values", (), ("tsv",)),
    Format("html", "text/html", ("application/xhtml+xml",), ("html",)),
)
GRAPH_FORMATS: tuple[Format, ...] = (
    Format("turtle", "text/turtle", ("application/turtle", "application/x-turtle", "text/n3", "text/rdf+n3"), ("turtle", "ttl", "n3")),
    Format("ntriples", "application/n-triples", ("text/plain",), ("ntriples", "nt", "n-triples")),
    Format("jsonld", "application/ld+json", ("application/x-json+ld", "application/json"), ("jsonld", "json-ld", "json")),
    Format("rdfxml", "application/rdf+xml", ("application/xml", "text/xml"), ("rdfxml", "rdf+xml", "rdf", "xml")),
    Format("html", "text/html", ("application/xhtml+xml",), ("html",)),
)


def _parse_accept(header: str) -> list[tuple[str, float]]:
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for field in fields[1:]:
            if field.lower().startswith("q="):
                try:
                    q = max(0.0, min(1.0, float(field[2:])))
                except ValueError:
                    q = 0.0
        ranges.append((media, q))
    return ranges


def _quality(media: str, ranges: list[tuple[str, float]]) -> float:
    """q of the most specific Accept range matching `media` (0 when none matches)."""
    best_specificity, best_q = -1, 0.0
    kind = media.split("/")[0]
    for rng, q in ranges:
        if rng == media:
            specificity = 2
        elif rng == f"{kind}/*":
            specificity = 1
        elif rng == "*/*" or rng == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best_specificity, best_q = specificity, q
    return best_q


def negotiate(accept: str | None, offers: Sequence[Format], format_param: str | None = None) -> Format | None:
    """The format to answer with, or None when the client accepts none of `offers` (406).

    An explicit `format=` parameter (a short name or a media type) wins over Accept;
    an absent or empty Accept means anything.
    """
    if format_param:
        wanted = format_param.strip().lower()
        for fmt in offers:
            if wanted in fmt.names or wanted == fmt.media_type or wanted in fmt.aliases:
                return fmt
    if not accept or not accept.strip():
        return offers[0]
    ranges = _parse_accept(accept)
    best, best_q = None, 0.0
    for fmt in offers:
        # An exact media type counts more than an alias (application/xml is both
        # SPARQL XML results and RDF/XML; the primary type decides).
        q = _quality(fmt.media_type, ranges)
        for alias in fmt.aliases:
            q = max(q, _quality(alias, ranges) * 0.99)
        if fmt.key == "html" and not any(r[0] in ("text/html", "application/xhtml+xml") for r in ranges):
            q = 0.0  # HTML only for clients that ask for it by name
        if q > best_q:
            best, best_q = fmt, q
    return best


# --- SELECT / ASK -----------------------------------------------------------

class _RowLimit(Exception):
    """Raised by _RowSink once the result has more rows than asked for: stops the evaluation."""


class _RowSink(io.RawIOBase):
    """Collects TSV results from Oxigraph and stops them after `rows` rows (TSV rows are lines:
    tabs and newlines inside values are escaped)."""

    def __init__(self, rows: int):
        super().__init__()
        self.lines = rows + 1    # the header line, then the rows
        self.parts: list[bytes] = []
        self.seen = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        data = bytes(data)
        self.parts.append(data)
        self.seen += data.count(b"\n")
        if self.seen > self.lines:
            raise _RowLimit
        return len(data)

    def value(self) -> tuple[bytes, bool]:
        """(the TSV of the first `rows` rows, whether rows were cut)."""
        data = b"".join(self.parts)
        if self.seen <= self.lines:
            return data, False
        end = -1
        for _ in range(self.lines):
            end = data.index(b"\n", end + 1)
        return data[: end + 1], True


# XML 1.0 cannot hold these characters at all, not even as character references.
_XML_ILLEGAL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|\xef\xbf[\xbe\xbf]")
_REPLACEMENT = "\ufffd".encode("utf-8")


def xml_safe(body: bytes) -> bytes:
    """SPARQL XML results kept well-formed: characters XML 1.0 forbids become U+FFFD."""
    return _XML_ILLEGAL.sub(_REPLACEMENT, body)


def _ox_format(fmt: Format):
    import pyoxigraph as ox

    return {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
            "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}.get(fmt.key)


def write_solutions(solutions, fmt: Format, max_rows: int = 0) -> tuple[bytes, bool]:
    """Serialise pyoxigraph SELECT results in `fmt` with Oxigraph's own writers, at most
    `max_rows` rows (0: all); returns (body, whether rows were cut).

    Rows past the limit are never computed: the results stream as TSV into a sink that
    stops them, and the rows kept are parsed back and written in the asked format."""
    import pyoxigraph as ox

    target = _ox_format(fmt)
    if max_rows <= 0 and target is not None:
        body = solutions.serialize(format=target)
        return (xml_safe(body) if fmt.key == "xml" else body), False
    sink = _RowSink(max_rows if max_rows > 0 else sys.maxsize)
    try:
        solutions.serialize(output=sink, format=ox.QueryResultsFormat.TSV)
    except _RowLimit:
        pass
    tsv, truncated = sink.value()
    if fmt.key == "tsv":
        return tsv, truncated
    parsed = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV)
    if target is None:
        variables = [v.value for v in parsed.variables]
        rows = [tuple(solution) for solution in parsed]
        note = f"Only the first {max_rows} results are shown (row limit)." if truncated else ""
        return write_html_table(variables, rows, note), truncated
    body = parsed.serialize(format=target)
    return (xml_safe(body) if fmt.key == "xml" else body), truncated


def write_html_table(variables: Sequence[str], rows: Iterable[Sequence], note: str = "") -> bytes:
    """SELECT rows as an HTML page with one table, for browsers."""
    head = "".join(f"<th>{html.escape(v)}</th>" for v in variables)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(_plain(t))}</td>" for t in row) + "</tr>" for row in rows)
    return _html_page("Query results", f"<p>{html.escape(note)}</p><table><thead><tr>{head}</tr></thead>"
                                       f"<tbody>{body}</tbody></table>")


def _plain(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def write_boolean(fmt: Format, result) -> bytes:
    """Serialise an ASK answer (a pyoxigraph QueryBoolean) in `fmt`."""
    target = _ox_format(fmt)
    if target is not None:
        return result.serialize(format=target)
    return _html_page("Query result", f"<p>ASK: <strong>{'true' if result else 'false'}</strong></p>")


# --- graphs -------------------------------------------------------------------

def write_graph(fmt: Format, triples: Sequence, prefixes: dict[str, str] | None = None) -> bytes:
    """Serialise triples (CONSTRUCT / DESCRIBE results) in `fmt` with pyoxigraph, shortening
    IRIs with `prefixes` (default: PREFIXES) in Turtle and RDF/XML."""
    import pyoxigraph as ox

    if fmt.key == "html":
        turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                              prefixes=used_prefixes(triples, prefixes)).decode("utf-8")
        return _html_page("Query results", f"<pre>{html.escape(turtle)}</pre>")
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt.key]
    chosen = used_prefixes(triples, prefixes) if fmt.key in ("turtle", "rdfxml") else None
    body = ox.serialize(triples, format=rdf_format, prefixes=chosen) or b""
    return xml_safe(body) if fmt.key == "rdfxml" else body


def used_prefixes(triples: Sequence, prefixes: dict[str, str] | None = None) -> dict[str, str]:
    """The entries of `prefixes` (default: PREFIXES) whose namespace some IRI in `triples` starts with."""
    import pyoxigraph as ox

    iris = {term.value for t in triples for term in (t.subject, t.predicate, t.object)
            if isinstance(term, ox.NamedNode)}
    for t in triples:
        if isinstance(t.object, ox.Literal):
            iris.add(t.object.datatype.value)
    return {p: ns for p, ns in (prefixes or PREFIXES).items() if any(iri.startswith(ns) for iri in iris)}


def _html_page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            "<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
            "th{background:#eef}pre{white-space:pre-wrap}</style></head>"
            f'<body><p><a href="/">&larr; query page</a></p>{body}</body></html>').encode("utf-8")
