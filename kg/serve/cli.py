"""`kg serve`, `kg query` and `kg store`: parse options, call kg.serve, print results."""
from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import unicodedata
from pathlib import Path

from kg.errors import QueryRefusedError, QuerySyntaxError, ServeConfigError, VnkgError


def register(subparsers: argparse._SubParsersAction) -> None:
    serve = subparsers.add_parser(
        "serve", help="serve a graph as a SPARQL 1.1 endpoint with a query page",
        description="Serve GRAPH (a .ttl/.nt/.nq/.trig file, a folder with graph.ttl, or an Oxigraph store "
                    "folder) at http://HOST:PORT/sparql, with a query page at / . Read-only, loopback-only "
                    "and time-limited unless told otherwise.")
    serve.add_argument("graph", help="graph file, folder holding graph.ttl, or Oxigraph store folder")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    serve.add_argument("--timeout", type=float, default=10.0, help="query time limit in seconds (default 10)")
    serve.add_argument("--max-rows", type=int, default=10_000, help="result rows/triples returned at most (default 10000)")
    serve.add_argument("--max-request-bytes", type=int, default=1_000_000,
                       help="largest accepted request (URL or body), default 1000000")
    serve.add_argument("--workers", type=int, default=None, help="query worker processes (default: cores, at most 4)")
    serve.add_argument("--threads", type=int, default=8, help="HTTP request threads (default 8)")
    serve.add_argument("--cors", action="append", default=[], metavar="ORIGIN",
                       help="allow browser pages from ORIGIN (or '*') to query; repeatable; off by default")
    serve.add_argument("--allow-update", action="store_true",
                       help="accept SPARQL Update on POST /update (needs --update-token-env)")
    serve.add_argument("--update-token-env", metavar="VAR",
                       help="environment variable holding the bearer token that /update requires")
    serve.add_argument("--union-default-graph", action="store_true",
                       help="query the union of all named graphs as the default graph")
    serve.set_defaults(func=cmd_serve)

    query = subparsers.add_parser(
        "query", help="run a SPARQL query over a graph and print the results",
        description="Run a SPARQL query (text, --file or --example) over GRAPH with Oxigraph.")
    query.add_argument("graph", help="graph file, folder holding graph.ttl, or Oxigraph store folder")
    query.add_argument("query", nargs="?", help="the SPARQL query text")
    query.add_argument("--file", type=Path, help="read the query from this .rq file")
    query.add_argument("--example", metavar="NAME", help="run queries/NAME.rq (see docs/serve.md)")
    query.add_argument("--format", choices=("table", "json", "csv", "tsv", "turtle"), default="table",
                       help="output format (default table; turtle for CONSTRUCT/DESCRIBE)")
    query.add_argument("--max-rows", type=int, default=0, help="print at most this many rows (default: all)")
    query.set_defaults(func=cmd_query)

    store = subparsers.add_parser(
        "store", help="fill a persistent Oxigraph store folder from graph files",
        description="Load graph files into an Oxigraph store folder that `kg serve`/`kg query` open without "
                    "re-parsing. The folder is replaced atomically.")
    store.add_argument("graphs", nargs="+", help="graph files or folders holding graph.ttl")
    store.add_argument("--store", required=True, type=Path, help="the store folder to (re)fill")
    store.set_defaults(func=cmd_store)


# --- kg serve -------------------------------------------------------------------

def _log_queries() -> None:
    access = logging.getLogger("kg.serve.access")
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.propagate = False
    serve_log = logging.getLogger("kg.serve")
    if serve_log.getEffectiveLevel() > logging.INFO:
        serve_log.setLevel(logging.INFO)


def cmd_serve(args: argparse.Namespace) -> int:
    from kg.serve.engine import cpu_default_workers
    from kg.serve.server import ServeConfig, Server

    token = None
    if args.update_token_env:
        token = os.environ.get(args.update_token_env)
        if not token:
            raise ServeConfigError(f"--update-token-env {args.update_token_env}: that environment variable is "
                                   f"unset or empty; set it to a secret first")
    config = ServeConfig(graph=args.graph, host=args.host, port=args.port, timeout=args.timeout,
                         max_rows=args.max_rows, max_request_bytes=args.max_request_bytes,
                         workers=args.workers or cpu_default_workers(), threads=args.threads,
                         cors=tuple(args.cors), allow_update=args.allow_update, update_token=token,
                         union_default_graph=args.union_default_graph)
    _log_queries()
    server = Server(config)
    try:
        server.start(background=False)
    except OSError as exc:
        raise ServeConfigError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc} "
                               f"(choose another --port)") from None
    print(f"kg serve: SPARQL endpoint {server.url}/sparql, query page {server.url}/ (Ctrl-C to stop)", flush=True)

    def terminate(signum, frame):   # `kill`, systemd and docker stop: shut down like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("kg serve: stopped", file=sys.stderr)
    return 0


# --- kg query -------------------------------------------------------------------

def _query_text(args: argparse.Namespace) -> str:
    from kg.serve.examples import find_example

    given = [x for x in (args.query, args.file, args.example) if x]
    if len(given) != 1:
        raise VnkgError("give exactly one of: the query text, --file FILE.rq, --example NAME")
    if args.example:
        return find_example(args.example).text
    if args.file:
        try:
            return args.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise VnkgError(f"{args.file}: cannot read the query: {exc.strerror or exc}") from None
    return args.query


def display_width(text: str) -> int:
    """Columns `text` takes in a terminal (combining marks take none, wide characters two)."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _short(term) -> str:
    import pyoxigraph as ox

    from kg.serve.formats import PREFIXES

    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in PREFIXES.items():
            if term.value.startswith(ns) and "/" not in term.value[len(ns):]:
                return f"{prefix}:{term.value[len(ns):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return str(term)


def format_table(variables: list[str], rows: list[tuple]) -> str:
    """An aligned text table of SELECT rows, IRIs shortened with the vnkg prefixes."""
    cells = [[" ".join(_short(t).split()) for t in row] for row in rows]
    widths = [display_width(v) for v in variables]
    for row in cells:
        widths = [max(w, display_width(c)) for w, c in zip(widths, row)]

    def line(values: list[str]) -> str:
        return " | ".join(v + " " * (w - display_width(v)) for v, w in zip(values, widths)).rstrip()

    out = [line(variables), "-+-".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def run_query(graph: str | os.PathLike[str], text: str, output: str = "table", max_rows: int = 0) -> str:
    """Run `text` over `graph` and return what `kg query` prints."""
    import pyoxigraph as ox

    from kg.serve import formats, sparql
    from kg.serve.store import open_store, resolve_source

    shape = sparql.inspect(text)
    if shape.uses_service:
        raise QueryRefusedError("SERVICE (federated query) is disabled: kg query never fetches other endpoints")
    if shape.is_update:
        raise QueryRefusedError("kg query only reads: SPARQL Update is refused (serve with --allow-update to edit)")
    store = open_store(resolve_source(graph))
    try:
        result = store.query(text)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"SPARQL query syntax error: {exc}") from None
    limit = max_rows if max_rows > 0 else sys.maxsize
    if isinstance(result, ox.QueryBoolean):
        if output in ("table", "turtle"):
            return "true" if result else "false"
        fmt = formats.negotiate(None, formats.RESULT_FORMATS, output)
        return formats.write_boolean(fmt, bool(result)).decode("utf-8").rstrip("\n")
    if isinstance(result, ox.QueryTriples):
        triples = [t for _, t in zip(range(limit), result)]
        if output in ("csv", "tsv"):
            raise VnkgError(f"--format {output} is for SELECT queries; use turtle or json for CONSTRUCT/DESCRIBE")
        fmt = formats.negotiate(None, formats.GRAPH_FORMATS, "jsonld" if output == "json" else "turtle")
        return formats.write_graph(fmt, triples).decode("utf-8").rstrip("\n")
    variables = [v.value for v in result.variables]
    rows = [tuple(r) for _, r in zip(range(limit), result)]
    if output == "table":
        return format_table(variables, rows)
    if output == "turtle":
        raise VnkgError("--format turtle is for CONSTRUCT/DESCRIBE queries; use table, json, csv or tsv")
    fmt = formats.negotiate(None, formats.RESULT_FORMATS, output)
    return formats.write_select(fmt, variables, rows).decode("utf-8").rstrip("\n")


def cmd_query(args: argparse.Namespace) -> int:
    text = _query_text(args)
    sys.stdout.write(run_query(args.graph, text, args.format, args.max_rows) + "\n")
    return 0


# --- kg store -------------------------------------------------------------------

def cmd_store(args: argparse.Namespace) -> int:
    from kg.serve.store import load_store

    load_store(args.graphs, args.store)
    print(f"kg store: filled {args.store} from {len(args.graphs)} path(s); serve it with `kg serve {args.store}`")
    return 0
