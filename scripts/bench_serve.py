#!/usr/bin/env python3
"""`kg serve` against Virtuoso on the example queries, on the same generated graph, in one run.

Builds generated articles with the real pipeline (kg.synthetic; the default
14,000 articles give about 2 M triples), loads the graph into Virtuoso (Debian's
virtuoso-opensource, started here on 127.0.0.1 with its files in a temporary folder)
and serves it with `kg serve` three ways: from the Turtle file (in memory), from a
store folder copied into memory (the default for a store that fits) and from the
store folder on disk (`--store-mode disk`). Every example query, with its default
parameters, is sent over HTTP on 127.0.0.1 (JSON results). Virtuoso stays up while each
`kg serve` runs, and every query goes to the two in turn, --repeat times, which of them
first alternating: a run of a few milliseconds moves with the machine's moment, so the
ratio of each `kg serve` latency to Virtuoso's is taken pair by pair and its median
reported (below 1: faster than Virtuoso), next to the median latencies.

    .venv/bin/python scripts/bench_serve.py                    # ~2 M triples, about 5 minutes
    .venv/bin/python scripts/bench_serve.py --articles 650     # ~95 k triples, quick
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
Striping = 0
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 0
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
MaxQueryMem = 2G
ThreadsPerQuery = 2
AsyncQueueMaxThreads = 4
VectorSize = 1000
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = /var/lib/virtuoso-opensource-7/vsp
MaxClientConnections = 10
ServerThreads = 10
EnabledDavVSP = 0
HTTPProxyEnabled = 0
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 300
MaxQueryCostEstimationTime = 0
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def post(url: str, text: str, timeout: float = 300) -> tuple[int, int]:
    """(rows, bytes) of one SELECT/CONSTRUCT over HTTP."""
    body = urllib.parse.urlencode({"query": text}).encode()
    request = urllib.request.Request(url, data=body, headers={
        "Accept": "application/sparql-results+json, text/turtle;q=0.9",
        "Content-Type": "application/x-www-form-urlencoded"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(request, timeout=timeout) as reply:
        data = reply.read()
        kind = reply.headers.get("Content-Type", "")
    if "json" in kind:
        return len(json.loads(data)["results"]["bindings"]), len(data)
    import pyoxigraph

    return len(list(pyoxigraph.parse(data, format=pyoxigraph.RdfFormat.TURTLE))), len(data)


def paired_ms(url: str, reference: str, text: str, repeat: int) -> tuple[float, float, float, int, int]:
    """(median ms at `url`, median ms at `reference`, median of the pairs' ratios, rows at each): the query
    sent to the two in turn, `repeat` times, which goes first alternating, after a warm-up of each."""
    post(url, text)
    post(reference, text)
    ours, theirs, rows, reference_rows = [], [], 0, 0
    for i in range(repeat):
        for target in ((url, reference) if i % 2 == 0 else (reference, url)):
            started = time.perf_counter()
            count, _ = post(target, text)
            ms = (time.perf_counter() - started) * 1000
            if target == url:
                ours.append(ms)
                rows = count
            else:
                theirs.append(ms)
                reference_rows = count
    ratio = statistics.median(a / b for a, b in zip(ours, theirs))
    return statistics.median(ours), statistics.median(theirs), ratio, rows, reference_rows


class Virtuoso:
    """virtuoso-t on 127.0.0.1 with its files in `folder`, the graph bulk-loaded."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.http_port, self.sql_port = free_port(), free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    def start(self) -> None:
        binary = shutil.which("virtuoso-t")
        if binary is None:
            raise SystemExit("virtuoso-t is not installed: run `bash scripts/install-system-deps.sh` "
                             "(Debian package virtuoso-opensource)")
        (self.folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(
            dir=self.folder, sql_port=self.sql_port, http_port=self.http_port, buffers=340000, dirty=250000))
        self.process = subprocess.Popen([binary, "-f", "-c", str(self.folder / "virtuoso.ini")], cwd=self.folder,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        env={**os.environ, "HOME": str(self.folder)})
        stop = time.monotonic() + 120
        while True:
            try:
                post(self.url, "SELECT * WHERE { ?s ?p ?o } LIMIT 1", timeout=5)
                return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > stop:
                    raise SystemExit(f"Virtuoso did not start; see {self.folder}/virtuoso.log")
                time.sleep(1)

    def isql(self, *statements: str) -> None:
        script = "".join(f"{s};\n" for s in statements)
        run = subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba"], input=script,
                             capture_output=True, text=True, timeout=3600)
        if run.returncode != 0 or "*** Error" in run.stdout:
            raise SystemExit(f"isql failed: {run.stdout[-2000:]} {run.stderr[-2000:]}")

    def load(self, folder: Path, name: str) -> None:
        self.isql(f"ld_dir('{folder}', '{name}', 'urn:vnkg:bench')", "rdf_loader_run()", "checkpoint")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=14000,
                        help="generated articles built into the graph (14000 = ~2 M triples)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query and server (median is reported)")
    args = parser.parse_args(argv)

    from kg.serve.examples import load_examples
    from kg.serve.server import ServeConfig, Server
    from kg.serve.store import load_store
    from kg.synthetic import build_graph

    examples = load_examples()
    with tempfile.TemporaryDirectory(prefix="kg-bench-serve-") as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        data.mkdir()
        started = time.perf_counter()
        graph = build_graph(data / "graph.ttl", args.articles, workers=os.cpu_count() or 1)
        print(f"built {graph.stat().st_size / 2**20:.0f} MB of Turtle in {time.perf_counter() - started:.0f} s",
              flush=True)
        started = time.perf_counter()
        load_store([graph], tmp / "store")
        print(f"kg store: {time.perf_counter() - started:.0f} s", flush=True)

        virtuoso = Virtuoso(tmp / "virtuoso")
        (tmp / "virtuoso").mkdir()
        # per server label, per query: (ms, Virtuoso's ms in the same rounds, median ratio, rows, Virtuoso's rows)
        results: dict[str, dict[str, tuple[float, float, float, int, int]]] = {}
        try:
            virtuoso.start()
            started = time.perf_counter()
            virtuoso.load(data, "graph.ttl")
            print(f"Virtuoso bulk load: {time.perf_counter() - started:.0f} s", flush=True)
            for label, path, mode in (("memory", graph, "auto"), ("store in memory", tmp / "store", "memory"),
                                      ("store on disk", tmp / "store", "disk")):
                started = time.perf_counter()
                with Server(ServeConfig(graph=path, port=0, workers=2, timeout=300, store_mode=mode,
                                        max_rows=1_000_000)) as server:
                    triples = server.engine.triples
                    print(f"kg serve ({label}): ready in {time.perf_counter() - started:.0f} s, {triples} triples",
                          flush=True)
                    results[label] = {e.name: paired_ms(server.url + "/sparql", virtuoso.url, e.text, args.repeat)
                                      for e in examples}
        finally:
            virtuoso.stop()

    labels = ["memory", "store in memory", "store on disk"]
    print(f"\nmedian latency over HTTP (ms, {args.repeat} runs after a warm-up, each paired with one of Virtuoso); "
          "ratio = kg serve / Virtuoso, the median of the pairs'")
    header = f"{'query':18} {'rows':>6} {'Virtuoso':>9} " + " ".join(f"{label:>17}" for label in labels)
    print(header)
    print("-" * len(header))
    ratios: dict[str, list[float]] = {label: [] for label in labels}
    for example in examples:
        virtuoso_ms = statistics.median(results[label][example.name][1] for label in labels)
        cells = []
        for label in labels:
            ms, _, ratio, rows, virtuoso_rows = results[label][example.name]
            ratios[label].append(ratio)
            cells.append(f"{ms:8.1f} {ratio:5.2f}x" + ("!" if rows != virtuoso_rows else " "))
        print(f"{example.name:18} {results['memory'][example.name][3]:>6} {virtuoso_ms:>9.1f} "
              + " ".join(f"{c:>17}" for c in cells))
    print("geometric mean ratio: " + ", ".join(f"{label} {statistics.geometric_mean(r):.2f}x"
                                               for label, r in ratios.items()))
    print("slowest ratio: " + ", ".join(f"{label} {max(r):.2f}x" for label, r in ratios.items()))
    print("(! marks a row count that differs from Virtuoso's)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
