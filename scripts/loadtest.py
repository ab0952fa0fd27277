#!/usr/bin/env python3
"""Load test for `kg serve`: N concurrent clients for T seconds, mixing the example queries.

Starts its own server on 127.0.0.1 over a generated graph (or --graph FILE), or targets
--url of a server already running on this machine (loopback addresses only). Each
client connects from its own loopback address (127.0.0.10, .11, ...), as clients on
other machines would. Slow clients are mixed in (`--slow-clients`): they trickle each
request over about 2 s and read the answer at 64 KB/s; their requests must succeed
too but are timed apart. Every client stops at the deadline; requests are bounded in
number too. Prints requests, errors and latency percentiles; exits 1 when any request
failed.

    .venv/bin/python scripts/loadtest.py                     # 20 clients + 5 slow ones x 60 s, ~100k triples
    .venv/bin/python scripts/loadtest.py --clients 5 --slow-clients 1 --duration 3 --graph tests/data/graph_small.ttl
"""
from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MAX_REQUESTS_PER_CLIENT = 100_000


def _loopback(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or 80)}
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise SystemExit(f"loadtest: {url} is not a loopback address; this script only loads servers on this machine")
    return host, parts.port or 80


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _slow_request(host: str, port: int, source: str, text: str) -> int:
    """One query sent a few bytes at a time over about 2 s, its answer read at 64 KB/s; the status."""
    body = urllib.parse.urlencode({"query": text}).encode("utf-8")
    head = (f"POST /sparql HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Accept: application/sparql-results+json, text/turtle;q=0.9\r\nConnection: close\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode("ascii") + body
    with socket.create_connection((host, port), timeout=30, source_address=(source, 0)) as sock:
        pieces = 20
        step = max(1, len(head) // pieces)
        for i in range(0, len(head), step):
            sock.sendall(head[i:i + step])
            time.sleep(2.0 / pieces)
        received = bytearray()
        while True:
            chunk = sock.recv(8192)
            if not chunk:
                break
            received += chunk
            time.sleep(8192 / 65536)
    status_line = bytes(received[:received.find(b"\r\n")]).split()
    return int(status_line[1]) if len(status_line) > 1 else 0


def run_load(url: str, queries: list[tuple[str, str]], clients: int, duration: float, slow_clients: int = 0) -> dict:
    """Run `clients` (and `slow_clients`) threads against `url` until `duration` passes; return the measurements."""
    host, port = _loopback(url)
    deadline = time.monotonic() + duration
    latencies: dict[str, list[float]] = {name: [] for name, _ in queries}
    slow_latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()

    def slow_client(index: int) -> None:
        source = f"127.0.1.{10 + index}"
        for i in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            name, text = queries[(index + i) % len(queries)]
            started = time.monotonic()
            try:
                status = _slow_request(host, port, source, text)
            except OSError as exc:
                with lock:
                    errors.append(f"slow {name}: {type(exc).__name__}: {exc}")
                continue
            with lock:
                if status == 200:
                    slow_latencies.append((time.monotonic() - started) * 1000)
                else:
                    errors.append(f"slow {name}: HTTP {status}")

    def client(index: int) -> None:
        source = (f"127.0.0.{10 + index}", 0) if index < 240 else None

        def connect() -> http.client.HTTPConnection:
            return http.client.HTTPConnection(host, port, timeout=30, source_address=source)

        connection = connect()
        for i in range(MAX_REQUESTS_PER_CLIENT):
            if time.monotonic() >= deadline:
                break
            name, text = queries[(index + i) % len(queries)]
            body = urllib.parse.urlencode({"query": text}).encode("utf-8")
            started = time.monotonic()
            try:
                connection.request("POST", "/sparql", body=body, headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Accept": "application/sparql-results+json, text/turtle;q=0.9"})
                reply = connection.getresponse()
                reply.read()
                status = reply.status
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                connection = connect()
                with lock:
                    errors.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            elapsed = (time.monotonic() - started) * 1000
            with lock:
                if status == 200:
                    latencies[name].append(elapsed)
                else:
                    errors.append(f"{name}: HTTP {status}")
        connection.close()

    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    threads += [threading.Thread(target=slow_client, args=(i,), daemon=True) for i in range(slow_clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=duration + 60)
    wall = time.monotonic() - started
    every = [v for values in latencies.values() for v in values]
    return {
        "clients": clients, "slow_clients": slow_clients, "slow_requests": len(slow_latencies),
        "slow_p50_ms": round(percentile(slow_latencies, 50), 1),
        "duration_s": round(wall, 1), "requests": len(every) + len(slow_latencies) + len(errors),
        "errors": len(errors), "error_samples": errors[:10],
        "throughput_rps": round((len(every) + len(slow_latencies) + len(errors)) / wall, 1),
        "p50_ms": round(percentile(every, 50), 1), "p90_ms": round(percentile(every, 90), 1),
        "p99_ms": round(percentile(every, 99), 1), "max_ms": round(max(every, default=float("nan")), 1),
        "per_query": {name: {"n": len(v), "p50_ms": round(percentile(v, 50), 1), "p99_ms": round(percentile(v, 99), 1),
                             "mean_ms": round(statistics.fmean(v), 1) if v else None}
                      for name, v in latencies.items()},
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", help="base URL of a running server on this machine (default: start one)")
    parser.add_argument("--graph", type=Path, help="graph to serve (default: a generated one, see --articles)")
    parser.add_argument("--articles", type=int, default=650,
                        help="generated articles built into the graph served (650 = ~95k triples)")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--slow-clients", type=int, default=5, help="clients that send and read slowly (default 5)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--workers", type=int, default=None, help="query workers of the started server")
    parser.add_argument("--json", action="store_true", help="print the measurements as JSON")
    args = parser.parse_args(argv)

    from kg.serve.examples import load_examples

    queries = [(e.name, e.text) for e in load_examples()]
    server = None
    tmp = None
    try:
        if args.url:
            url = args.url.rstrip("/")
            graph_note = args.url
        else:
            from kg.serve.engine import cpu_default_workers
            from kg.serve.server import ServeConfig, Server
            from kg.synthetic import build_graph

            graph = args.graph
            if graph is None:
                tmp = tempfile.TemporaryDirectory(prefix="kg-loadtest-")
                graph = build_graph(Path(tmp.name) / "graph.ttl", args.articles, workers=os.cpu_count() or 1)
            server = Server(ServeConfig(graph=graph, port=0, workers=args.workers or cpu_default_workers())).start()
            url = server.url
            graph_note = f"{graph} ({server.engine.triples} triples, {server.engine.size} workers)"
        result = run_load(url, queries, args.clients, args.duration, args.slow_clients)
        result["target"] = graph_note
    finally:
        if server is not None:
            server.stop()
        if tmp is not None:
            tmp.cleanup()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(f"target: {result['target']}")
        print(f"{result['clients']} clients + {result['slow_clients']} slow ones x {result['duration_s']} s: "
              f"{result['requests']} requests, {result['errors']} errors, {result['throughput_rps']} req/s")
        print(f"slow clients: {result['slow_requests']} requests, p50 {result['slow_p50_ms']} ms (their own trickle included)")
        print(f"latency ms (other clients): p50 {result['p50_ms']}  p90 {result['p90_ms']}  p99 {result['p99_ms']}  max {result['max_ms']}")
        for name, stats in result["per_query"].items():
            print(f"  {name:20} n={stats['n']:<6} p50 {stats['p50_ms']:>8} ms  p99 {stats['p99_ms']:>8} ms")
        for sample in result["error_samples"]:
            print(f"  error: {sample}")
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
