#!/usr/bin/env python3
"""Oxigraph vs rdflib on the example queries, on the same generated graph, in one run.

Measures, per example query: rdflib's own SPARQL engine (Graph.query), Oxigraph in
process (Store.query, rows consumed), and the `kg serve` endpoint end to end over HTTP
on 127.0.0.1 (JSON results). Reports medians and the rdflib/Oxigraph ratios.

    .venv/bin/python scripts/bench_serve.py              # ~95k triples
    .venv/bin/python scripts/bench_serve.py --people 500 --repeat 3
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def timed(fn, repeat: int) -> tuple[float, object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=2000, help="generated graph size (2000 = ~95k triples)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query and engine (median is reported)")
    args = parser.parse_args(argv)

    import pyoxigraph
    import rdflib

    from kg.serve.examples import load_examples
    from kg.serve.server import ServeConfig, Server
    from kg.serve.synthetic import write_synthetic_graph

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        path = write_synthetic_graph(Path(tmp) / "graph.ttl", args.people)
        start = time.perf_counter()
        graph = rdflib.Graph()
        graph.parse(path, format="turtle")
        rdflib_load = time.perf_counter() - start
        start = time.perf_counter()
        store = pyoxigraph.Store()
        store.load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE)
        oxigraph_load = time.perf_counter() - start
        print(f"graph: {len(graph)} triples; load: rdflib {rdflib_load:.2f} s, Oxigraph {oxigraph_load:.2f} s")

        server = Server(ServeConfig(graph=path, port=0, workers=1)).start()
        try:
            header = f"{'query':20} {'rows':>6} {'rdflib ms':>10} {'oxigraph ms':>12} {'endpoint ms':>12} {'ratio':>8}"
            print(header)
            print("-" * len(header))
            ratios = []
            for example in load_examples():
                rd_ms, rd_result = timed(lambda: len(list(graph.query(example.text))), args.repeat)
                ox_ms, ox_result = timed(lambda: len(list(store.query(example.text))), args.repeat)

                def over_http() -> int:
                    body = urllib.parse.urlencode({"query": example.text}).encode()
                    request = urllib.request.Request(server.url + "/sparql", data=body, headers={
                        "Accept": "application/sparql-results+json, text/turtle;q=0.9"})
                    with urllib.request.urlopen(request, timeout=60) as reply:
                        return len(reply.read())

                http_ms, _ = timed(over_http, args.repeat)
                ratio = rd_ms / ox_ms if ox_ms else float("inf")
                ratios.append(ratio)
                note = "" if rd_result == ox_result else f"  (row counts differ: rdflib {rd_result})"
                print(f"{example.name:20} {ox_result:>6} {rd_ms:>10.1f} {ox_ms:>12.1f} {http_ms:>12.1f} "
                      f"{ratio:>7.0f}x{note}")
            print(f"geometric mean speed-up of Oxigraph over rdflib: "
                  f"{statistics.geometric_mean(ratios):.0f}x over {len(ratios)} queries")
        finally:
            server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
