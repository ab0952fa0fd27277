"""`kg serve`, `kg query` and `kg store`: parse options, call kg.serve, print results."""
from __future__ import annotations

import argparse
import errno
import logging
import os
import signal
import sys
from pathlib import Path

from kg.errors import ServeConfigError, VnkgError


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
    serve.add_argument("--threads", type=int, default=16, help="threads waiting for query answers (default 16)")
    serve.add_argument("--store-mode", choices=("auto", "memory", "disk"), default="auto",
                       help="a store folder is copied into each worker's memory (faster queries) or queried on "
                            "disk; auto: memory when it fits in half the available memory (default)")
    serve.add_argument("--max-query-memory", type=int, default=1024, metavar="MB",
                       help="memory one query may add to its worker before it is stopped (default 1024)")
    serve.add_argument("--client-timeout", type=float, default=10.0, metavar="S",
                       help="seconds a client has to send its request headers, and again its body (default 10)")
    serve.add_argument("--max-connections", type=int, default=1000, help="open connections at most (default 1000)")
    serve.add_argument("--max-client-connections", type=int, default=32,
                       help="open connections from one client address at most (default 32)")
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
    query.add_argument("--param", action="append", default=[], metavar="NAME=VALUE",
                       help="a parameter of the example (person=\"Lương Cường\", country=Lào, year=2024), "
                            "or a value for ?NAME in your own query; repeatable")
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
                         workers=cpu_default_workers() if args.workers is None else args.workers,
                         threads=args.threads, cors=tuple(args.cors), allow_update=args.allow_update,
                         update_token=token, union_default_graph=args.union_default_graph,
                         store_mode=args.store_mode, max_query_memory_mb=args.max_query_memory,
                         client_timeout=args.client_timeout, max_connections=args.max_connections,
                         max_client_connections=args.max_client_connections)
    config.validate()     # before the graph is opened: a wrong option costs nothing
    _log_queries()
    server = Server(config)
    try:
        server.start(background=False)
    except OSError as exc:
        hint = "choose another --port" if exc.errno == errno.EADDRINUSE else "check --host"
        raise ServeConfigError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc} ({hint})") from None
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

def _query_text(args: argparse.Namespace) -> tuple[str, dict]:
    """(query text, values for a raw query's variables) from the arguments."""
    from kg.serve.examples import find_example

    given = [x for x in (args.query, args.file, args.example) if x]
    if len(given) != 1:
        raise VnkgError("give exactly one of: the query text, --file FILE.rq, --example NAME")
    params = {}
    for item in args.param:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise VnkgError(f"--param {item}: write NAME=VALUE, e.g. --param person=\"Lương Cường\"")
        params[key.strip()] = value
    if args.example:
        return find_example(args.example).with_params(**params), {}
    if args.file:
        try:
            return args.file.read_text(encoding="utf-8"), params
        except OSError as exc:
            raise VnkgError(f"{args.file}: cannot read the query: {exc.strerror or exc}") from None
    return args.query, params


def cmd_query(args: argparse.Namespace) -> int:
    from kg.serve.query import run_query

    text, params = _query_text(args)
    sys.stdout.write(run_query(args.graph, text, args.format, args.max_rows, params) + "\n")
    return 0


# --- kg store -------------------------------------------------------------------

def cmd_store(args: argparse.Namespace) -> int:
    from kg.serve.store import load_store

    load_store(args.graphs, args.store)
    print(f"kg store: filled {args.store} from {len(args.graphs)} path(s); serve it with `kg serve {args.store}`")
    return 0
