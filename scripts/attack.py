#!/usr/bin/env python3
"""Hostile clients against `kg serve`, on this machine only: prints what held.

Each attack is bounded in connections, requests and time, and checks that ordinary
queries are still answered while it runs:

  slow-clients    connections that send one header line a second (slowloris), from one address
  graph-flood     8 simultaneous GET /graph while /health must answer at once
  nested-query    a query of 5,000 nested parentheses (crashed the SPARQL parser)
  memory-bomb     two ORDER BY cross products, each growing without bound
  query-flood     slow queries from many clients: every answer by its deadline from arrival
  store-swap      the store folder refilled while queries run: never old after new
  bad-options     --port 70000, --threads 0, --host 999.1.1.1 give one line and exit 2

    .venv/bin/python scripts/attack.py                       # starts its own server (~40 s)
    .venv/bin/python scripts/attack.py --url http://127.0.0.1:8000   # a running one (no store-swap/bad-options)

Attackers connect from 127.0.0.2, ordinary clients from 127.0.0.1 (both loopback).
Exits 1 when anything did not hold.
"""
from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

ATTACKER = "127.0.0.2"
CLIENT = "127.0.0.1"
ASK = "ASK { ?s ?p ?o }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
ORDERED_CROSS = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"


@dataclass
class Outcome:
    attack: str
    held: bool
    detail: str


def _target(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or 80)}
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"attack: {url} is not a loopback address; this script only attacks servers on this machine")
    return host, parts.port or 80


def request(url: str, path: str, *, query: str | None = None, source: str = CLIENT, timeout: float = 30,
            method: str = "GET") -> tuple[int | str, float, bytes]:
    """(status or error name, seconds, body) of one request from `source`."""
    host, port = _target(url)
    if query is not None:
        path = path + "?" + urllib.parse.urlencode({"query": query})
    started = time.monotonic()
    connection = http.client.HTTPConnection(host, port, timeout=timeout, source_address=(source, 0))
    try:
        connection.request(method, path, headers={"Accept": "application/sparql-results+json"})
        reply = connection.getresponse()
        body = reply.read()
        return reply.status, time.monotonic() - started, body
    except (OSError, http.client.HTTPException) as exc:
        return type(exc).__name__, time.monotonic() - started, b""
    finally:
        connection.close()


def health(url: str) -> dict:
    status, _, body = request(url, "/health", timeout=5)
    return json.loads(body) if status == 200 else {}


def _probe(url: str, seconds: float, every: float = 0.5) -> list[tuple[int | str, float]]:
    """Ordinary queries from CLIENT for `seconds`: (status, latency) of each."""
    results = []
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        status, took, _ = request(url, "/sparql", query=ASK, timeout=10)
        results.append((status, took))
        time.sleep(every)
    return results


def slow_clients(url: str, connections: int = 150, client_timeout: float = 10.0) -> Outcome:
    """Slowloris: connections that never finish their headers must neither block others nor stay open."""
    host, port = _target(url)
    socks: list[socket.socket] = []
    for _ in range(connections):
        try:
            sock = socket.create_connection((host, port), timeout=2, source_address=(ATTACKER, 0))
            sock.sendall(b"GET /sparql HTTP/1.1\r\nHost: x\r\n")
            socks.append(sock)
        except OSError:
            pass
    time.sleep(0.5)
    refused = connections - len(socks)
    for sock in list(socks):      # over the per-address cap: answered 503 and closed at once
        sock.setblocking(False)
        try:
            if sock.recv(64).startswith(b"HTTP/1.1 503"):
                refused += 1
                socks.remove(sock)
                sock.close()
        except (BlockingIOError, OSError):
            pass
        else:
            continue
        sock.setblocking(True)
    closed = 0
    probes: list = []
    prober = threading.Thread(target=lambda: probes.extend(_probe(url, client_timeout + 3)))
    prober.start()
    stop = time.monotonic() + client_timeout + 4
    while time.monotonic() < stop and socks:
        for sock in list(socks):
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                sock.setblocking(False)
                try:
                    if sock.recv(1024) == b"":
                        raise ConnectionResetError
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
            except OSError:
                closed += 1
                socks.remove(sock)
                sock.close()
        time.sleep(1)
    prober.join()
    for sock in socks:
        sock.close()
    answered = [took for status, took in probes if status == 200]
    held = bool(probes) and len(answered) == len(probes) and max(answered) < 2 and closed + refused == connections
    return Outcome("slow-clients", held,
                   f"{connections} slow connections: {refused} refused at once (per-address cap), {closed} cut off "
                   f"by the server, {len(socks)} still open after {client_timeout + 4:g} s; ordinary queries "
                   f"{len(answered)}/{len(probes)} answered, slowest {max(answered, default=float('nan')):.2f} s")


def graph_flood(url: str, clients: int = 8, timeout: float = 10.0) -> Outcome:
    """Many simultaneous /graph requests must not tie up the server."""
    replies: list = []
    threads = [threading.Thread(target=lambda: replies.append(request(url, "/graph", source=ATTACKER,
                                                                        timeout=timeout + 20)))
               for _ in range(clients)]
    for thread in threads:
        thread.start()
    checks = []
    while any(t.is_alive() for t in threads) and len(checks) < 40:
        status, took, _ = request(url, "/health", timeout=5)
        checks.append((status, took))
        time.sleep(0.25)
    for thread in threads:
        thread.join()
    statuses = sorted(str(r[0]) for r in replies)
    slowest = max(r[1] for r in replies)
    health_ok = all(s == 200 and t < 1 for s, t in checks)
    held = health_ok and all(r[0] in (200, 503) for r in replies) and slowest < timeout + 2
    return Outcome("graph-flood", held,
                   f"{clients} x /graph: {', '.join(statuses)}, all within {slowest:.1f} s; /health answered "
                   f"{sum(s == 200 for s, _ in checks)}/{len(checks)} times, slowest "
                   f"{max((t for _, t in checks), default=0):.2f} s")


def nested_query(url: str, depth: int = 5000) -> Outcome:
    """A deeply nested query gets 400, and no worker dies."""
    before = health(url).get("worker_restarts")
    text = "SELECT * WHERE { FILTER(" + "(" * depth + "1" + ")" * depth + ") }"
    status, took, body = request(url, "/sparql", query=text, source=ATTACKER)
    after = health(url).get("worker_restarts")
    follow, _, _ = request(url, "/sparql", query=ASK)
    held = status == 400 and before == after and follow == 200
    return Outcome("nested-query", held, f"{depth} nested parentheses: {status} in {took * 1000:.0f} ms "
                                         f"({body.decode('utf-8', 'replace').strip()[:120]}); worker restarts "
                                         f"{before} -> {after}; next query {follow}")


def _worker_memory(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * 4096
        except (OSError, ValueError, IndexError):
            pass
    return total


def memory_bomb(url: str, limit_mb: int = 1024, server_pid: int | None = None, timeout: float = 10.0) -> Outcome:
    """Queries whose memory grows without bound are stopped at the per-query limit."""
    replies: list = []
    threads = [threading.Thread(target=lambda: replies.append(request(url, "/sparql", query=ORDERED_CROSS,
                                                                        source=ATTACKER, timeout=timeout + 20)))
               for _ in range(2)]
    peak = 0
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        if server_pid:
            children = subprocess.run(["pgrep", "-P", str(server_pid)], capture_output=True, text=True).stdout.split()
            peak = max(peak, _worker_memory([int(p) for p in children]))
        time.sleep(0.1)
    for thread in threads:
        thread.join()
    follow, _, _ = request(url, "/sparql", query=ASK, timeout=timeout + 5)
    messages = {r[2].decode("utf-8", "replace").split(";")[0] for r in replies}
    held = all(r[0] == 503 for r in replies) and follow == 200
    peak_note = f"; workers' peak memory {peak / 2**20:.0f} MB" if server_pid else ""
    return Outcome("memory-bomb", held, f"2 ORDER BY cross products: {[r[0] for r in replies]} after "
                                        f"{max(r[1] for r in replies):.1f} s ({' / '.join(sorted(messages))})"
                                        f"{peak_note}; next query {follow}")


def query_flood(url: str, clients: int = 12, timeout: float = 10.0) -> Outcome:
    """Slow queries from many clients: each answered by its own deadline, counted from arrival."""
    replies: list = []

    def attacker(i: int) -> None:
        replies.append(request(url, "/sparql", query=CROSS, source=f"127.0.0.{10 + i}", timeout=timeout + 20))

    threads = [threading.Thread(target=attacker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    trivial = request(url, "/sparql", query=ASK, timeout=timeout + 20)
    for thread in threads:
        thread.join()
    latest = max(r[1] for r in replies)
    held = all(r[0] == 503 for r in replies) and latest < timeout + 1 and (
        trivial[0] == 200 or (trivial[0] == 503 and trivial[1] < timeout + 1))
    return Outcome("query-flood", held, f"{clients} slow queries: {sorted(set(str(r[0]) for r in replies))}, the "
                                        f"last after {latest:.1f} s (limit {timeout:g} s); a trivial query meanwhile: "
                                        f"{trivial[0]} in {trivial[1]:.1f} s")


def store_swap(url: str, store: Path, other_graph: Path) -> Outcome:
    """Refill the served store: answers switch from the old count to the new one once, /health follows."""
    from kg.serve.store import load_store

    old = int(json.loads(request(url, "/sparql", query=COUNT)[2])["results"]["bindings"][0]["n"]["value"])
    seen: list[int] = []
    answers: list[tuple[float, float, int]] = []     # (sent, received, triples)
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            sent = time.monotonic()
            status, _, body = request(url, "/sparql", query=COUNT)
            if status == 200:
                n = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
                answers.append((sent, time.monotonic(), n))
                seen.append(n)

    pollers = [threading.Thread(target=poll) for _ in range(3)]
    for thread in pollers:
        thread.start()
    time.sleep(0.5)
    load_store([other_graph], store)
    changed = time.monotonic()
    new = None
    while time.monotonic() - changed < 15:
        new = health(url).get("triples")
        if new != old:
            break
        time.sleep(0.2)
    took = time.monotonic() - changed
    time.sleep(1)
    stop.set()
    for thread in pollers:
        thread.join()
    # A query sent after a new answer had come back must never be answered from the old store.
    first_new = min((received for _, received, n in answers if n != old), default=float("inf"))
    mixed = any(n == old and sent > first_new for sent, _, n in answers)
    held = new != old and not mixed and set(seen) <= {old, new}
    return Outcome("store-swap", held, f"{len(seen)} answers during the refill: {seen.count(old)} old ({old}), "
                                       f"{len(seen) - seen.count(old)} new ({new}), never old after new: "
                                       f"{not mixed}; /health showed the new size after {took:.1f} s")


def bad_options(graph: Path) -> Outcome:
    """Impossible options: one line on stderr, exit code 2, nothing started."""
    notes, held = [], True
    for option in (["--port", "70000"], ["--threads", "0"], ["--host", "999.1.1.1"]):
        run = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(graph), *option], capture_output=True,
                             text=True, timeout=60, cwd=ROOT)
        lines = run.stderr.strip().splitlines()
        ok = run.returncode == 2 and len(lines) == 1 and "Traceback" not in run.stderr
        held &= ok
        notes.append(f"{' '.join(option)} -> exit {run.returncode}: {lines[-1] if lines else ''}")
    return Outcome("bad-options", held, "; ".join(notes))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="base URL of a running server on this machine (default: start one)")
    parser.add_argument("--timeout", type=float, default=10.0, help="the server's --timeout (with --url)")
    parser.add_argument("--client-timeout", type=float, default=10.0, help="the server's --client-timeout (with --url)")
    args = parser.parse_args(argv)

    started = time.monotonic()
    outcomes: list[Outcome] = []
    if args.url:
        url = args.url.rstrip("/")
        outcomes += [slow_clients(url, client_timeout=args.client_timeout), graph_flood(url, timeout=args.timeout),
                     nested_query(url), memory_bomb(url, timeout=args.timeout),
                     query_flood(url, timeout=args.timeout)]
    else:
        import os

        from kg.serve.server import ServeConfig, Server
        from kg.serve.store import load_store
        from kg.synthetic import build_graph

        with tempfile.TemporaryDirectory(prefix="kg-attack-") as tmp:
            graph = build_graph(Path(tmp) / "graph.ttl", 100)
            other = build_graph(Path(tmp) / "other.ttl", 105, seed=8)
            store = Path(tmp) / "store"
            load_store([graph], store)
            config = ServeConfig(graph=store, port=0, workers=2, timeout=5.0, client_timeout=5.0,
                                 max_query_memory_mb=512)
            with Server(config) as server:
                url = server.url
                print(f"target: {url} ({server.engine.triples} triples, store folder, 2 workers, --timeout 5, "
                      f"--client-timeout 5, --max-query-memory 512)", flush=True)
                outcomes += [slow_clients(url, client_timeout=5.0), graph_flood(url, timeout=5.0),
                             nested_query(url), memory_bomb(url, 512, os.getpid(), timeout=5.0),
                             query_flood(url, timeout=5.0), store_swap(url, store, other)]
            outcomes.append(bad_options(graph))
    for outcome in outcomes:
        print(f"{'held  ' if outcome.held else 'BROKE '} {outcome.attack:13} {outcome.detail}", flush=True)
    print(f"{sum(o.held for o in outcomes)}/{len(outcomes)} held in {time.monotonic() - started:.0f} s")
    return 0 if all(o.held for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
