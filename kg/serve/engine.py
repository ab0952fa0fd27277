"""Query workers: processes that own an Oxigraph store and answer one request at a time.

Why processes: an Oxigraph query cannot be interrupted from Python, and a thread
left running after its deadline would keep a core busy for as long as the query
takes; a flood of slow queries would pile such threads up. Here a request waits
for an idle worker and for its answer only until its deadline; a worker still busy
then, or one whose memory grows past the per-query limit, is killed (SIGKILL frees
its CPU and memory at once) and a fresh one is started in the background, so at
most `workers` queries run at any moment and none outlives its limits by more than
the kill.

Workers come in generations. Each generation opened one version of the source
(recognised by its fingerprint: the store folder's inode, or each file's inode,
size and mtime); when `kg store` or a rebuild replaces the source, a whole new
generation is opened next to the old one and swapped in at once, so no two answers
ever come from different versions, and the old generation ends as its queries do.

Each worker opens the source itself: RDF files are loaded into the worker's own
in-memory store; a store folder is copied into memory (`in_memory`, the default when
it fits) or opened read-only. With updates allowed there is one worker, opening a
persistent store read-write, so a killed update rolls back and committed ones
survive. Workers serialise the answer, so the HTTP side only moves bytes.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import GraphSourceError, VnkgError
from kg.serve.store import GraphSource, source_fingerprint

log = logging.getLogger(__name__)

WATCH_INTERVAL_S = 1.0      # how often the source is checked for a replacement
MEMORY_POLL_S = 0.05        # how often a busy worker's memory is read


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

def execute(store, request: QueryRequest, *, union_default_graph: bool = False,
            prefixes: dict[str, str] | None = None) -> Reply:
    """Run one request on `store` and serialise the answer (runs inside a worker).

    `prefixes` are declared for the query (its own PREFIX lines win)."""
    import pyoxigraph as ox

    from kg.serve import formats

    if request.update:
        try:
            store.update(request.text, prefixes=prefixes)
        except SyntaxError as exc:
            return text_reply(400, f"SPARQL update syntax error: {exc}")
        return Reply(204, triples=len(store))

    options: dict = {"prefixes": prefixes}
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

    offers = formats.GRAPH_FORMATS if isinstance(result, ox.QueryTriples) else formats.RESULT_FORMATS
    fmt = formats.negotiate(request.accept, offers, request.format)
    if fmt is None:
        available = ", ".join(f.media_type for f in offers)
        return text_reply(406, f"no acceptable format for this query's results in Accept: {request.accept} "
                               f"(available: {available})")
    headers: dict[str, str] = {}
    if isinstance(result, ox.QueryBoolean):
        return Reply(200, formats.write_boolean(fmt, result), fmt.content_type)
    if isinstance(result, ox.QueryTriples):
        triples = []
        truncated = False
        for triple in result:   # lazy: triples past the limit are never computed
            if len(triples) == request.max_rows:
                truncated = True
                break
            triples.append(triple)
        body = formats.write_graph(fmt, triples, prefixes)
    else:
        body, truncated = formats.write_solutions(result, fmt, request.max_rows)
    if truncated:
        headers["X-Result-Truncated"] = "true"
        headers["X-Result-Limit"] = str(request.max_rows)
    return Reply(200, body, fmt.content_type, headers)


def worker_main(argv: list[str] | None = None) -> None:
    """Entry point of a worker process (`python -m kg.serve.worker`): open the store, answer requests."""
    import argparse
    from multiprocessing.connection import Connection

    from kg.serve.store import graph_prefixes, open_store

    parser = argparse.ArgumentParser(prog="kg.serve.worker")
    parser.add_argument("--fd", type=int, required=True)
    parser.add_argument("--store")
    parser.add_argument("--files", nargs="*", default=[])
    parser.add_argument("--writable", action="store_true")
    parser.add_argument("--in-memory", action="store_true")
    parser.add_argument("--union", action="store_true")
    parser.add_argument("--count", action="store_true")
    args = parser.parse_args(argv)
    conn = Connection(args.fd)
    source = GraphSource(store_dir=Path(args.store)) if args.store else GraphSource(files=tuple(map(Path, args.files)))
    try:
        # The fingerprint before and after opening: equal means one version was read whole.
        while True:
            before = source_fingerprint(source)
            store = open_store(source, writable=args.writable, in_memory=args.in_memory)
            after = source_fingerprint(source)
            if before == after:
                break
        prefixes = graph_prefixes(store, source)
    except VnkgError as exc:
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", {"triples": len(store) if args.count else None, "fingerprint": after,
                         "prefixes": prefixes}))
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        try:
            reply = execute(store, request, union_default_graph=args.union, prefixes=prefixes)
        except BaseException as exc:  # noqa: BLE001 - pyo3 panics derive from BaseException
            if isinstance(exc, (SystemExit, KeyboardInterrupt)):
                raise
            reply = Reply(500, headers={"X-Worker-Error": f"{type(exc).__name__}: {exc}"[:500]})
        conn.send(reply)


# --- in the server process ------------------------------------------------------

def _rss_bytes(pid: int) -> int:
    """Resident memory of process `pid` (0 when it is gone)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


class _Worker:
    """One `python -m kg.serve.worker` process and the duplex pipe to it."""

    def __init__(self, source: GraphSource, generation: "_Generation", *, writable: bool, union: bool,
                 in_memory: bool, count: bool):
        parent, child = multiprocessing.Pipe()
        args = [sys.executable, "-m", "kg.serve.worker", "--fd", str(child.fileno())]
        if source.store_dir is not None:
            args += ["--store", str(source.store_dir)]
        else:
            args += ["--files", *map(str, source.files)]
        args += ["--writable"] * writable + ["--union"] * union + ["--in-memory"] * in_memory + ["--count"] * count
        self.conn = parent
        self.generation = generation
        self.baseline_rss = 0
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

    def wait_ready(self) -> dict:
        try:
            kind, value = self.conn.recv()
        except (EOFError, OSError):
            code = self.process.wait()
            raise GraphSourceError(f"query worker {self.pid} stopped while opening the graph "
                                   f"(exit code {code}; out of memory?)") from None
        if kind == "failed":
            raise GraphSourceError(value)
        self.baseline_rss = _rss_bytes(self.pid)
        return value

    def kill(self) -> None:
        try:
            self.process.kill()
            self.process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.conn.close()


@dataclass(eq=False)
class _Generation:
    """The workers that opened one version of the source."""

    number: int
    fingerprint: tuple = ()
    triples: int | None = None
    prefixes: dict[str, str] = field(default_factory=dict)
    loaded_at: float = 0.0
    idle: list[_Worker] = field(default_factory=list)


class Engine:
    """A fixed-size pool of query workers with per-request deadlines and memory limits."""

    def __init__(self, source: GraphSource, *, workers: int = 2, writable: bool = False,
                 union_default_graph: bool = False, in_memory: bool = False, max_query_memory_mb: int = 0,
                 watch: bool = True):
        self.source = source
        self.writable = writable
        self.union = union_default_graph
        self.in_memory = in_memory and not writable
        self.max_query_memory = max_query_memory_mb * 1024 * 1024
        self.size = 1 if writable else max(1, workers)
        self.watch = watch and not writable
        self.restarts = 0
        self.reloads = 0
        self._generation = _Generation(0)
        self._all: set[_Worker] = set()
        self._cond = threading.Condition()
        self._closed = False
        self._loading = False
        self._watcher: threading.Thread | None = None

    # --- the current generation --------------------------------------------------

    @property
    def triples(self) -> int | None:
        return self._generation.triples

    @property
    def prefixes(self) -> dict[str, str]:
        return dict(self._generation.prefixes)

    @property
    def generation(self) -> _Generation:
        return self._generation

    @property
    def reloading(self) -> bool:
        return self._loading

    def start(self) -> None:
        """Start every worker and wait until each has opened the graph (raises if one cannot)."""
        self._generation = self._open_generation(1)
        if self.watch:
            self._watcher = threading.Thread(target=self._watch, name="kg-source-watch", daemon=True)
            self._watcher.start()

    def _open_generation(self, number: int) -> _Generation:
        generation = _Generation(number)
        started = [self._spawn(generation, count=(i == 0)) for i in range(self.size)]
        try:
            for i, worker in enumerate(started):
                info = worker.wait_ready()
                if i == 0:
                    generation.fingerprint = info["fingerprint"]
                    generation.triples = info["triples"]
                    generation.prefixes = info["prefixes"]
                elif info["fingerprint"] != generation.fingerprint:
                    raise GraphSourceError(f"{self.source.describe()} changed while it was being opened")
            generation.idle.extend(started)
            generation.loaded_at = time.time()
        except BaseException:
            for worker in started:
                self._retire(worker)
            raise
        return generation

    def _watch(self) -> None:
        """Open a new generation whenever the source is replaced, and swap it in whole."""
        while not self._closed:
            time.sleep(WATCH_INTERVAL_S)
            try:
                current = source_fingerprint(self.source)
            except OSError:
                continue   # the source is being replaced right now; look again shortly
            if self._closed or current == self._generation.fingerprint:
                continue
            self._loading = True
            try:
                fresh = self._open_generation(self._generation.number + 1)
            except (GraphSourceError, OSError) as exc:
                log.error("the graph source changed but could not be opened (%s); still serving the previous "
                          "version", exc)
                time.sleep(5)
                continue
            finally:
                self._loading = False
            with self._cond:
                if self._closed:
                    old = fresh
                else:
                    old, self._generation = self._generation, fresh
                    self.reloads += 1
                stale, old.idle = old.idle, []
                self._cond.notify_all()
            for worker in stale:
                self._retire(worker)
            log.info("serving the new version of %s (%s triples)", self.source.describe(), fresh.triples)

    # --- workers -----------------------------------------------------------------

    def _spawn(self, generation: _Generation, count: bool = False) -> _Worker:
        worker = _Worker(self.source, generation, writable=self.writable, union=self.union,
                         in_memory=self.in_memory, count=count)
        with self._cond:
            self._all.add(worker)
        return worker

    def _retire(self, worker: _Worker) -> None:
        with self._cond:
            self._all.discard(worker)
        worker.kill()

    def _release(self, worker: _Worker) -> None:
        """Give a worker back to its generation, or end it when that generation was replaced."""
        with self._cond:
            if worker.generation is self._generation and not self._closed:
                worker.generation.idle.append(worker)
                self._cond.notify()
                return
        self._retire(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill `worker` and bring a fresh one into its generation, without blocking the caller."""
        self.restarts += 1
        generation = worker.generation

        def run() -> None:
            self._retire(worker)
            while not self._closed and generation is self._generation:
                try:
                    fresh = self._spawn(generation)
                    info = fresh.wait_ready()
                except (GraphSourceError, OSError) as exc:
                    log.error("could not restart a query worker: %s; retrying in 5 s", exc)
                    time.sleep(5)
                    continue
                if info["fingerprint"] != generation.fingerprint:
                    self._retire(fresh)    # the source changed: the watcher opens the new version
                    return
                self._release(fresh)
                return

        threading.Thread(target=run, name="kg-worker-restart", daemon=True).start()

    def _acquire(self, deadline: float) -> _Worker | None:
        with self._cond:
            while True:
                if self._closed:
                    return None
                idle = self._generation.idle
                if idle:
                    return idle.pop()
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._cond.wait(remaining)

    def run(self, request: QueryRequest, deadline: float, *, limit_s: float | None = None) -> Reply:
        """Answer `request` by `deadline` (time.monotonic()), or 503 once it passes."""
        limit = f"the {limit_s:g} s time limit" if limit_s is not None else "the time limit"
        worker = self._acquire(deadline)
        if worker is None:
            return text_reply(503, f"the query could not start before {limit}: every query worker is busy; "
                                   "retry shortly", **{"Retry-After": "2"})
        try:
            worker.conn.send(request)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                if worker.conn.poll(min(remaining, MEMORY_POLL_S) if self.max_query_memory else remaining):
                    reply = worker.conn.recv()
                    self._release(worker)
                    if reply.triples is not None:
                        worker.generation.triples = reply.triples
                    return reply
                if self.max_query_memory and _rss_bytes(worker.pid) - worker.baseline_rss > self.max_query_memory:
                    self._replace(worker)
                    mb = self.max_query_memory // (1024 * 1024)
                    return text_reply(503, f"the query needed more than the {mb} MB memory limit and was stopped; "
                                           "narrow it (LIMIT, more specific patterns) or ask for a larger "
                                           "--max-query-memory")
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
        with self._cond:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._cond.notify_all()
        for worker in workers:
            worker.kill()

    @property
    def pids(self) -> list[int]:
        with self._cond:
            return [w.pid for w in self._all]


def cpu_default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))
