"""Query workers: processes that own an Oxigraph store and answer one request at a time.

Why processes: an Oxigraph query cannot be interrupted from Python, and a thread
left running after its deadline would keep a core busy for as long as the query
takes; a flood of slow queries would pile such threads up. Here a request waits
for an idle worker and for its answer only until its deadline; a worker still busy
then is killed (SIGKILL frees its CPU and memory at once) and a fresh one is
started in the background, so at most `workers` queries run at any moment and none
outlives its time limit by more than the kill.

Each worker opens the source itself: RDF files are loaded into the worker's own
in-memory store, a store folder is opened read-only. With updates allowed there is
one worker, opening a persistent store read-write, so a killed update rolls back
and committed ones survive. Workers serialise the answer, so the HTTP side only
moves bytes.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import GraphSourceError, VnkgError
from kg.serve.store import GraphSource

log = logging.getLogger(__name__)


@dataclass
class Reply:
    """A worker's answer, ready for HTTP."""

    status: int
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    triples: int | None = None      # store size after an update


@dataclass(frozen=True)
class QueryRequest:
    """What a worker needs to run one SPARQL request."""

    text: str
    update: bool = False
    accept: str | None = None
    format: str | None = None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    max_rows: int = 10_000


def text_reply(status: int, message: str, **headers: str) -> Reply:
    return Reply(status, (message.rstrip("\n") + "\n").encode("utf-8"), headers=dict(headers))


# --- inside a worker ----------------------------------------------------------

def execute(store, request: QueryRequest, *, union_default_graph: bool = False) -> Reply:
    """Run one request on `store` and serialise the answer (runs inside a worker, or in `kg query`)."""
    import pyoxigraph as ox

    from kg.serve import formats

    if request.update:
        try:
            store.update(request.text)
        except SyntaxError as exc:
            return text_reply(400, f"SPARQL update syntax error: {exc}")
        return Reply(204, triples=len(store))

    options: dict = {}
    try:
        if request.default_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in request.default_graphs]
        elif union_default_graph:
            options["use_default_graph_as_union"] = True
        if request.named_graphs:
            options["named_graphs"] = [ox.NamedNode(g) for g in request.named_graphs]
    except ValueError as exc:
        return text_reply(400, f"invalid graph IRI in default-graph-uri/named-graph-uri: {exc}")
    try:
        result = store.query(request.text, **options)
    except SyntaxError as exc:
        return text_reply(400, f"SPARQL query syntax error: {exc}")

    if isinstance(result, ox.QueryTriples):
        offers = formats.GRAPH_FORMATS
    else:
        offers = formats.RESULT_FORMATS
    fmt = formats.negotiate(request.accept, offers, request.format)
    if fmt is None:
        available = ", ".join(f.media_type for f in offers)
        return text_reply(406, f"no acceptable format for this query's results in Accept: {request.accept} "
                               f"(available: {available})")
    headers: dict[str, str] = {}
    if isinstance(result, ox.QueryBoolean):
        body = formats.write_boolean(fmt, bool(result))
    else:
        items = []
        truncated = False
        for item in result:   # lazy: rows past the limit are never computed
            if len(items) == request.max_rows:
                truncated = True
                break
            items.append(item if isinstance(result, ox.QueryTriples) else tuple(item))
        note = ""
        if truncated:
            headers["X-Result-Truncated"] = "true"
            headers["X-Result-Limit"] = str(request.max_rows)
            note = f"Only the first {request.max_rows} results are shown (row limit)."
        if isinstance(result, ox.QueryTriples):
            body = formats.write_graph(fmt, items)
        else:
            variables = [v.value for v in result.variables]
            body = formats.write_select(fmt, variables, items, note=note)
    return Reply(200, body, fmt.content_type, headers)


def worker_main(argv: list[str] | None = None) -> None:
    """Entry point of a worker process (`python -m kg.serve.worker`): open the store, answer requests."""
    import argparse
    from multiprocessing.connection import Connection

    from kg.serve.store import open_store

    parser = argparse.ArgumentParser(prog="kg.serve.worker")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--store")
    parser.add_argument("--files", nargs="*", default=[])
    parser.add_argument("--writable", action="store_true")
    parser.add_argument("--union", action="store_true")
    parser.add_argument("--count", action="store_true")
    args = parser.parse_args(argv)
    conn = Connection(args.fd)
    source = GraphSource(store_dir=Path(args.store)) if args.store else GraphSource(files=tuple(map(Path, args.files)))
    try:
        store = open_store(source, writable=args.writable)
    except VnkgError as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", len(store) if args.count else None))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = execute(store, request, union_default_graph=args.union)
        except BaseException as exc:  # noqa: BLE001 - pyo3 panics derive from BaseException
            if isinstance(exc, (SystemExit, KeyboardInterrupt)):
                raise
            reply = Reply(500, headers={"X-Worker-Error": f"{type(exc).__name__}: {exc}"[:500]})
        conn.send(reply)


# --- in the server process ------------------------------------------------------

class _Worker:
    """One `python -m kg.serve.worker` process and the duplex pipe to it."""

    def __init__(self, source: GraphSource, writable: bool, union: bool, count: bool):
        parent, child = multiprocessing.Pipe()
        args = [sys.executable, "-m", "kg.serve.worker", "--fd", str(child.fileno())]
        if source.store_dir is not None:
            args += ["--store", str(source.store_dir)]
        else:
            args += ["--files", *map(str, source.files)]
        args += ["--writable"] * writable + ["--union"] * union + ["--count"] * count
        self.conn = parent
        env = dict(os.environ)
        # The worker imports this package from wherever the server did, installed or not.
        package_root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(args, pass_fds=[child.fileno()], stdin=subprocess.DEVNULL, env=env,
                                        start_new_session=True)   # Ctrl-C goes to the server only
        child.close()

    @property
    def pid(self) -> int:
        return self.process.pid

    def wait_ready(self) -> int | None:
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            code = self.process.wait()
            raise GraphSourceError(f"query worker {self.pid} stopped while opening the graph "
                                   f"(exit code {code}; out of memory?)") from None
        if kind == "failed":
            raise GraphSourceError(value)
        return value

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.conn.close()


class Engine:
    """A fixed-size pool of query workers with per-request deadlines."""

    def __init__(self, source: GraphSource, *, workers: int = 2, writable: bool = False,
                 union_default_graph: bool = False):
        self.source = source
        self.writable = writable
        self.union = union_default_graph
        self.size = 1 if writable else max(1, workers)
        self.triples: int | None = None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        self.restarts = 0

    def start(self) -> None:
        """Start every worker and wait until each has opened the graph (raises if one cannot)."""
        started = [self._spawn(count=(i == 0)) for i in range(self.size)]
        try:
            for i, worker in enumerate(started):
                value = worker.wait_ready()
                if i == 0:
                    self.triples = value
                self._idle.put(worker)
        except BaseException:
            self.close()
            raise

    def _spawn(self, count: bool = False) -> _Worker:
        worker = _Worker(self.source, self.writable, self.union, count)
        with self._lock:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.kill()

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and bring a fresh one into the pool, without blocking the caller."""
        self.restarts += 1

        def run() -> None:
            self._retire(worker)
            while not self._closed:
                try:
                    fresh = self._spawn()
                    fresh.wait_ready()
                except (GraphSourceError, OSError) as exc:
                    log.error("could not restart a query worker: %s; retrying in 5 s", exc)
                    time.sleep(5)
                    continue
                if self._closed:
                    self._retire(fresh)
                else:
                    self._idle.put(fresh)
                return

        threading.Thread(target=run, name="kg-worker-restart", daemon=True).start()

    def run(self, request: QueryRequest, deadline: float, *, limit_s: float | None = None) -> Reply:
        """Answer `request` by `deadline` (time.monotonic()), or 503 once it passes."""
        limit = f"the {limit_s:g} s time limit" if limit_s is not None else "the time limit"
        try:
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return text_reply(503, f"the query could not start before {limit}: every query worker is busy; "
                                   "retry shortly", **{"Retry-After": "2"})
        try:
            worker.conn.send(request)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                reply = worker.conn.recv()
                self._idle.put(worker)
                if reply.triples is not None:
                    self.triples = reply.triples
                return reply
        except (EOFError, OSError):
            log.error("query worker %s stopped during a request (exit code %s); starting a new one",
                      worker.pid, worker.process.poll())
            self._replace(worker)
            return text_reply(500, "the query worker stopped while answering (out of memory?); "
                                   "a new one is starting, retry shortly")
        self._replace(worker)
        return text_reply(503, f"the query exceeded {limit} and was stopped; "
                               "narrow it (LIMIT, more specific patterns) or ask for a longer --timeout",
                          **{"Retry-After": "2"})

    def close(self) -> None:
        """Stop every worker."""
        self._closed = True
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [w.pid for w in self._all]


def cpu_default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))
