"""Content negotiation and result writers for SPARQL responses.

SELECT/ASK results are written here (JSON, XML, CSV, TSV per the W3C result formats,
plus an HTML table for browsers) from rows already cut to the row limit; graphs
(CONSTRUCT, DESCRIBE, the service description) are written by pyoxigraph. Pure
functions over pyoxigraph terms: no I/O, no store access.
"""
from __future__ import annotations

import html
import io
import json
from dataclasses import dataclass
from typing import Iterable, Sequence

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

# Prefixes used when writing Turtle and RDF/XML, matching the graphs `kg build` writes.
PREFIXES: dict[str, str] = {
    "vnkg": "https://w3id.org/vnkg/ontology#",
    "person": "https://w3id.org/vnkg/id/person/",
    "country": "https://w3id.org/vnkg/id/country/",
    "organization": "https://w3id.org/vnkg/id/organization/",
    "location": "https://w3id.org/vnkg/id/location/",
    "position": "https://w3id.org/vnkg/id/position/",
    "visit": "https://w3id.org/vnkg/id/visit/",
    "meeting": "https://w3id.org/vnkg/id/meeting/",
    "agreement": "https://w3id.org/vnkg/id/agreement/",
    "figure": "https://w3id.org/vnkg/id/figure/",
    "article": "https://w3id.org/vnkg/id/article/",
    "prov": "http://www.w3.org/ns/prov#",
    "schema": "https://schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
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

def _term_json(term) -> dict:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": {"subject": _term_json(term.subject),
                                          "predicate": _term_json(term.predicate),
                                          "object": _term_json(term.object)}}


def _term_xml(term) -> str:
    import pyoxigraph as ox

    esc = html.escape
    if isinstance(term, ox.NamedNode):
        return f"<uri>{esc(term.value, quote=False)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{esc(term.value, quote=False)}</bnode>"
    if isinstance(term, ox.Literal):
        if term.language:
            return f'<literal xml:lang="{esc(term.language)}">{esc(term.value, quote=False)}</literal>'
        if term.datatype.value != XSD_STRING:
            return f'<literal datatype="{esc(term.datatype.value)}">{esc(term.value, quote=False)}</literal>'
        return f"<literal>{esc(term.value, quote=False)}</literal>"
    return ("<triple>" + "".join(f"<{part}>{_term_xml(getattr(term, part))}</{part}>"
                                 for part in ("subject", "predicate", "object")) + "</triple>")


def _term_csv(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.BlankNode):
        value = f"_:{term.value}"
    elif isinstance(term, (ox.NamedNode, ox.Literal)):
        value = term.value
    else:
        value = str(term)
    if any(c in value for c in ',"\r\n'):
        value = '"' + value.replace('"', '""') + '"'
    return value


def write_select(fmt: Format, variables: Sequence[str], rows: Iterable[Sequence], *, note: str = "") -> bytes:
    """Serialise SELECT rows (tuples of pyoxigraph terms or None) in `fmt`."""
    if fmt.key == "json":
        # Rows repeat terms (names, types, dates): each distinct term is encoded once.
        keys = [json.dumps(v, ensure_ascii=False) + ":" for v in variables]
        cache: dict = {}

        def encode(term) -> str:
            text = cache.get(term)
            if text is None:
                text = cache[term] = json.dumps(_term_json(term), ensure_ascii=False, separators=(",", ":"))
            return text

        bindings = ",".join("{" + ",".join(keys[i] + encode(t) for i, t in enumerate(row) if t is not None) + "}"
                            for row in rows)
        head = json.dumps({"vars": list(variables)}, ensure_ascii=False, separators=(",", ":"))
        return f'{{"head":{head},"results":{{"bindings":[{bindings}]}}}}'.encode("utf-8")
    if fmt.key == "xml":
        out = io.StringIO()
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                  "<head>")
        out.writelines(f'<variable name="{html.escape(v)}"/>' for v in variables)
        out.write("</head><results>")
        for row in rows:
            out.write("<result>")
            out.writelines(f'<binding name="{html.escape(v)}">{_term_xml(t)}</binding>'
                           for v, t in zip(variables, row) if t is not None)
            out.write("</result>")
        out.write("</results></sparql>\n")
        return out.getvalue().encode("utf-8")
    if fmt.key == "csv":
        lines = [",".join(variables)]
        lines.extend(",".join(_term_csv(t) for t in row) for row in rows)
        return ("\r\n".join(lines) + "\r\n").encode("utf-8")
    if fmt.key == "tsv":
        lines = ["\t".join(f"?{v}" for v in variables)]
        lines.extend("\t".join("" if t is None else str(t) for t in row) for row in rows)
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt.key == "html":
        head = "".join(f"<th>{html.escape(v)}</th>" for v in variables)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(_plain(t))}</td>" for t in row) + "</tr>" for row in rows)
        return _html_page("Query results", f"<p>{html.escape(note)}</p><table><thead><tr>{head}</tr></thead>"
                                           f"<tbody>{body}</tbody></table>")
    raise ValueError(f"not a result format: {fmt.key}")


def _plain(term) -> str:
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, (ox.NamedNode, ox.Literal)):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def write_boolean(fmt: Format, value: bool) -> bytes:
    """Serialise an ASK answer in `fmt`."""
    text = "true" if value else "false"
    if fmt.key == "json":
        return json.dumps({"head": {}, "boolean": value}).encode("utf-8")
    if fmt.key == "xml":
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
                f"<head></head><boolean>{text}</boolean></sparql>\n").encode("utf-8")
    if fmt.key == "csv":
        return f"_askResult\r\n{text}\r\n".encode("utf-8")
    if fmt.key == "tsv":
        return f"?_askResult\n{text}\n".encode("utf-8")
    return _html_page("Query result", f"<p>ASK: <strong>{text}</strong></p>")


# --- graphs -------------------------------------------------------------------

def write_graph(fmt: Format, triples: Sequence) -> bytes:
    """Serialise triples (CONSTRUCT / DESCRIBE results) in `fmt` with pyoxigraph."""
    import pyoxigraph as ox

    if fmt.key == "html":
        turtle = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=used_prefixes(triples)).decode("utf-8")
        return _html_page("Query results", f"<pre>{html.escape(turtle)}</pre>")
    rdf_format = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                  "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}[fmt.key]
    prefixes = used_prefixes(triples) if fmt.key in ("turtle", "rdfxml") else None
    return ox.serialize(triples, format=rdf_format, prefixes=prefixes) or b""


def used_prefixes(triples: Sequence) -> dict[str, str]:
    """The entries of PREFIXES whose namespace some IRI in `triples` starts with."""
    import pyoxigraph as ox

    iris = {term.value for t in triples for term in (t.subject, t.predicate, t.object)
            if isinstance(term, ox.NamedNode)}
    for t in triples:
        if isinstance(t.object, ox.Literal):
            iris.add(t.object.datatype.value)
    return {p: ns for p, ns in PREFIXES.items() if any(iri.startswith(ns) for iri in iris)}


def _html_page(title: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            "<style>body{font-family:system-ui,sans-serif;margin:1.5rem}table{border-collapse:collapse}"
            "td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}"
            "th{background:#eef}pre{white-space:pre-wrap}</style></head>"
            f'<body><p><a href="/">&larr; query page</a></p>{body}</body></html>').encode("utf-8")
