"""One SPARQL query over a graph, in process: what `kg query` prints and `kg.query` returns.

The graph's own prefixes (its base IRI included) are declared for every query, so a
pasted `vnkg:Visit` or `person:luong-cuong` works; an example query is named by its
file stem and takes parameters (see kg.serve.examples); a raw query takes them as
values bound to its variables. Updates and SERVICE are refused, and so is a query
nested too deeply for the parser (it would crash the process).
"""
from __future__ import annotations

import os
import re
import sys
import unicodedata
from dataclasses import dataclass

from kg.errors import QueryRefusedError, QuerySyntaxError, VnkgError


@dataclass
class OpenGraph:
    """A pyoxigraph Store with the prefixes of the graph it holds."""

    store: object
    prefixes: dict[str, str]


def open_graph(graph) -> OpenGraph:
    """A graph to query: a path (file, build folder, store folder), an rdflib Graph or a pyoxigraph Store."""
    import pyoxigraph as ox

    from kg.serve.store import GraphSource, graph_prefixes, open_store, resolve_source

    if isinstance(graph, ox.Store):
        return OpenGraph(graph, graph_prefixes(graph, GraphSource()))
    if hasattr(graph, "serialize") and hasattr(graph, "triples"):     # an rdflib Graph
        store = ox.Store()
        store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
        prefixes = graph_prefixes(store, GraphSource())
        prefixes.update({p: str(ns) for p, ns in graph.namespaces() if p})
        return OpenGraph(store, prefixes)
    if not isinstance(graph, (str, os.PathLike)):
        raise VnkgError(f"cannot query a {type(graph).__name__}: give a path, an rdflib.Graph or a pyoxigraph.Store")
    source = resolve_source(graph)
    store = open_store(source)
    return OpenGraph(store, graph_prefixes(store, source))


_EXAMPLE_NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def query_text(query_or_example: str, params: dict) -> tuple[str, dict]:
    """(SPARQL text, substitutions) for an example name or a query, with `params` applied."""
    from kg.serve.examples import find_example

    if _EXAMPLE_NAME.fullmatch(query_or_example.strip()):
        return find_example(query_or_example.strip()).with_params(**params), {}
    return query_or_example, substitutions(params)


def substitutions(params: dict) -> dict:
    """Values for a raw query's variables: `name="Lương Cường"` binds ?name to a string."""
    import pyoxigraph as ox

    bound = {}
    for key, value in params.items():
        if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
            term = value
        elif isinstance(value, bool):
            term = ox.Literal("true" if value else "false",
                              datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
        elif isinstance(value, int):
            term = ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
        else:
            term = ox.Literal(unicodedata.normalize("NFC", str(value)))
        bound[ox.Variable(key)] = term
    return bound


def execute(graph: OpenGraph, text: str, bound: dict | None = None):
    """Run a read-only query: the pyoxigraph result (QuerySolutions, QueryTriples or QueryBoolean)."""
    from kg.serve import sparql

    shape, too_deep = sparql.check(text)
    if too_deep:
        raise QueryRefusedError(f"query refused: {too_deep}")
    if shape.uses_service:
        raise QueryRefusedError("SERVICE (federated query) is disabled: kg query never fetches other endpoints")
    if shape.is_update:
        raise QueryRefusedError("kg query only reads: SPARQL Update is refused (serve with --allow-update to edit)")
    try:
        return graph.store.query(text, prefixes=graph.prefixes, substitutions=bound or None)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL query syntax error: {exc}") from None
    except RuntimeError as exc:     # a value for a variable the query does not select
        raise VnkgError(f"cannot bind {', '.join('?' + v.value for v in bound or ())}: {exc}") from None


def _python(term):
    """A pyoxigraph term as a plain Python value: IRIs and strings as str, numbers, booleans and dates typed."""
    import datetime as dt
    from decimal import Decimal

    import pyoxigraph as ox

    if term is None:
        return None
    if not isinstance(term, ox.Literal):
        return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode)) else str(term)
    kind = term.datatype.value.rsplit("#", 1)[-1]
    try:
        if kind in ("integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"):
            return int(term.value)
        if kind in ("double", "float"):
            return float(term.value)
        if kind == "decimal":
            return Decimal(term.value)
        if kind == "boolean":
            return term.value in ("true", "1")
        if kind == "date":
            return dt.date.fromisoformat(term.value)
    except ValueError:
        pass
    return term.value


def query(graph, query_or_example: str, **params):
    """Run a SPARQL query, or an example by name, over a graph; see `kg.query`."""
    import pyoxigraph as ox

    opened = open_graph(graph)
    text, bound = query_text(query_or_example, params)
    result = execute(opened, text, bound)
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QueryTriples):
        import rdflib

        data = ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES) or b""
        found = rdflib.Graph().parse(data=data.decode("utf-8"), format="nt")
        for prefix, namespace in opened.prefixes.items():
            found.bind(prefix, namespace)
        return found
    variables = [v.value for v in result.variables]
    rows = [{name: _python(solution[name]) for name in variables} for solution in result]
    try:
        import pandas
    except ImportError:
        return rows
    return pandas.DataFrame(rows, columns=variables)


# --- what `kg query` prints -----------------------------------------------------------

def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (combining marks take none, wide characters two)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def short(term, prefixes: dict[str, str]) -> str:
    """A term as the table shows it: IRIs shortened with the graph's prefixes, literals as their text."""
    import pyoxigraph as ox

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in sorted(prefixes.items(), key=lambda item: -len(item[1])):
            rest = term.value[len(ns):]
            if term.value.startswith(ns) and rest and "/" not in rest and "#" not in rest:
                return f"{prefix}:{rest}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def format_table(variables: list[str], rows: list[tuple], prefixes: dict[str, str] | None = None) -> str:
    """An aligned text table of SELECT rows, IRIs shortened with the graph's prefixes."""
    from kg.serve.formats import PREFIXES

    prefixes = prefixes or PREFIXES
    cells = [[" ".join(short(t, prefixes).split()) for t in row] for row in rows]
    widths = [display_width(v) for v in variables]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row)]

    def line(values: list[str]) -> str:
        return " | ".join(v + " " * (w - display_width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def run_query(graph: str | os.PathLike[str], text: str, output: str = "table", max_rows: int = 0,
              params: dict | None = None) -> str:
    """Run `text` (or an example's text, already with its parameters) over `graph`; what `kg query` prints."""
    import pyoxigraph as ox

    from kg.serve import formats

    opened = open_graph(graph)
    result = execute(opened, text, substitutions(params or {}))
    limit = max_rows if max_rows > 0 else sys.maxsize
    if isinstance(result, ox.QueryBoolean):
        if output in ("table", "turtle"):
            return "true" if result else "false"
        fmt = formats.negotiate(None, formats.RESULT_FORMATS, output)
        return formats.write_boolean(fmt, result).decode("utf-8").rstrip("\n")
    if isinstance(result, ox.QueryTriples):
        if output in ("csv", "tsv"):
            raise VnkgError(f"--format {output} is for SELECT queries; use turtle or json for CONSTRUCT/DESCRIBE")
        triples = [t for _, t in zip(range(limit), result)]
        fmt = formats.negotiate(None, formats.GRAPH_FORMATS, "jsonld" if output == "json" else "turtle")
        return formats.write_graph(fmt, triples, opened.prefixes).decode("utf-8").rstrip("\n")
    if output == "turtle":
        raise VnkgError("--format turtle is for CONSTRUCT/DESCRIBE queries; use table, json, csv or tsv")
    if output == "table":
        variables = [v.value for v in result.variables]
        rows = [tuple(r) for _, r in zip(range(limit), result)]
        return format_table(variables, rows, opened.prefixes)
    fmt = formats.negotiate(None, formats.RESULT_FORMATS, output)
    body, _ = formats.write_solutions(result, fmt, max_rows)
    return body.decode("utf-8").rstrip("\n")

