#!/usr/bin/env python3
"""`kg export` at two graph sizes: time and peak memory as ratios against a plain re-write of the same graph.

    .venv/bin/python scripts/bench_export.py                          # about 0.5 M and 2 M triples
    .venv/bin/python scripts/bench_export.py --articles 600 2400 --repeat 1
    .venv/bin/python scripts/bench_export.py --formats neo4j --unsorted
    .venv/bin/python scripts/bench_export.py --baseline /tmp/vnkg-before    # an earlier version, side by side
    .venv/bin/python scripts/bench_export.py --load --articles 3200 --baseline /tmp/vnkg-before

Graphs are built from generated news by the real pipeline (kg.synthetic, about
150 triples per article), as `kg build` writes graph.ttl: sorted, with vnkg's prefixes.
With --unsorted the same graph as N-Triples lines in random order (as an arbitrary
graph file may be) is measured too.

Every run is a child process; its peak memory is the child's own high-water mark of
resident memory (VmHWM in /proc, Linux), its time wall-clock. The reference, run in the same loop as the exports,
is the least any export must do: pyoxigraph parses graph.ttl and writes it out again as
Turtle, streamed. With --baseline DIR (a source tree of another version, e.g. from
`git archive REV kg | tar -x -C DIR`), that version's `kg export` runs in the same loop.

With --load, `kg load sparql` is measured instead, into a Virtuoso (Debian's
virtuoso-opensource, started on 127.0.0.1 at free ports in a temporary folder, as the
tests start it) through its Graph Store endpoint with Digest authentication, on the
graph of the first --articles size, beside the --baseline version's load if given.

Each figure is the median of --repeat runs, runs interleaved so that a busy machine
weighs on the reference and the exports alike. Printed as a table and appended as JSON
lines to --results.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FORMATS = {  # format -> output name
    "neo4j": "neo4j",
    "trig": "graph.trig.gz",
    "nquads": "graph.nq",
    "jsonld": "graph.jsonld",
    "graphml": "graph.graphml",
    "gexf": "graph.gexf",
    "csv": "lists",
}
REWRITE = ("import sys, pyoxigraph as ox\n"
           "with open(sys.argv[2], 'wb') as out:\n"
           "    ox.serialize(ox.parse(path=sys.argv[1], format=ox.RdfFormat.TURTLE), out, ox.RdfFormat.TURTLE)\n")


def graph_files(work: Path, articles: int) -> tuple[Path, Path, int]:
    """(graph.ttl as kg build writes it, the same graph as shuffled N-Triples, distinct triples), made once."""
    import random

    import pyoxigraph as ox

    from kg.synthetic import build_graph

    folder = work / f"graph-{articles}"
    done = folder / ".complete"
    if not done.exists():
        shutil.rmtree(folder, ignore_errors=True)
        built = build_graph(folder / "as-built" / "graph.ttl", articles, workers=os.cpu_count() or 1)
        lines = ox.serialize(ox.parse(path=str(built), format=ox.RdfFormat.TURTLE),
                             format=ox.RdfFormat.N_TRIPLES).decode("utf-8").splitlines(keepends=True)
        random.Random(7).shuffle(lines)
        (folder / "shuffled.nt").write_text("".join(lines), encoding="utf-8")
        done.write_text(str(len(lines)))
    return folder / "as-built" / "graph.ttl", folder / "shuffled.nt", int(done.read_text())


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of a child process: the kernel's high-water mark of its own memory
    (VmHWM, which never decreases), read every 20 ms until it exits."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    peak_kb = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_kb
        status = Path(f"/proc/{proc.pid}/status")
        while not done.is_set():
            try:
                for line in status.read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak_kb = max(peak_kb, int(line.split()[1]))
            except (OSError, ValueError):
                pass
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _out, stderr = proc.communicate()
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(map(str, cmd))} failed ({proc.returncode}):\n"
                         f"{stderr.decode('utf-8', 'replace')[-3000:]}")
    return seconds, peak_kb / 1024


def measure(graph: Path, formats: list[str], repeat: int, scratch: Path, baseline: Path | None,
            baseline_formats: list[str]) -> dict[str, dict]:
    rewrite = [sys.executable, "-c", REWRITE, str(graph), str(scratch / "rewrite.ttl")]
    commands = {"rewrite": (rewrite, ROOT)}
    for fmt in formats:
        out = str(scratch / FORMATS[fmt])
        commands[fmt] = ([sys.executable, "-m", "kg.cli", "export", fmt, str(graph), "--out", out], ROOT)
    for fmt in baseline_formats if baseline else ():
        commands[f"{fmt} (baseline)"] = ([sys.executable, "-m", "kg.cli", "export", fmt, str(graph), "--out",
                                          str(scratch / ("baseline-" + FORMATS[fmt]))], baseline)
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, (cmd, cwd) in commands.items():
            out = Path(cmd[-1])
            shutil.rmtree(out, ignore_errors=True) if out.is_dir() else out.unlink(missing_ok=True)
            runs[name].append(run(cmd, cwd))
    return {name: {"seconds": round(statistics.median(s for s, _m in rs), 2),
                   "peak_mb": round(statistics.median(m for _s, m in rs), 1)} for name, rs in runs.items()}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_virtuoso(folder: Path) -> tuple[subprocess.Popen, str]:
    """virtuoso-t on 127.0.0.1, its database in `folder`; the process and its HTTP base URL."""
    import urllib.request

    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise SystemExit("virtuoso-t is not installed: run `bash scripts/install-system-deps.sh`")
    http, sql = free_port(), free_port()
    template = (ROOT / "tests" / "export" / "virtuoso.ini.in").read_text()
    (folder / "virtuoso.ini").write_text(template.format(dir=folder, sql_port=sql, http_port=http))
    proc = subprocess.Popen([binary, "-f", "-c", str(folder / "virtuoso.ini")], cwd=folder, stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT, env={**os.environ, "HOME": str(folder)})
    base = f"http://127.0.0.1:{http}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"virtuoso-t exited with {proc.returncode}")
        try:
            with opener.open(base + "/sparql?query=ASK%7B%7D", timeout=5):
                return proc, base
        except OSError:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("Virtuoso did not start within 90 s")


def bench_load(args) -> list[dict]:
    graph, _shuffled, triples = graph_files(args.work, args.articles[0])
    folder = Path(tempfile.mkdtemp(prefix="virtuoso-", dir=args.work))
    proc, base = start_virtuoso(folder)
    env = {**os.environ, "SPARQL_PASSWORD": "dba", "NO_PROXY": "*"}
    versions = {"kg load sparql": ROOT, **({"kg load sparql (baseline)": args.baseline} if args.baseline else {})}
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in versions}
    try:
        for i in range(args.repeat):
            for name, cwd in versions.items():
                cmd = [sys.executable, "-m", "kg.cli", "load", "sparql", str(graph), "--endpoint",
                       base + "/sparql-graph-crud-auth", "--user", "dba", "--protocol", "gsp",
                       "--graph", f"https://w3id.org/vnkg/id/graph/bench-{i}", "--state", str(folder / "state.json")]
                runs[name].append(run(cmd, cwd, env))
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
    print(f"\nkg load sparql, Graph Store Protocol with Digest into Virtuoso: {triples:,} triples; "
          f"median of {args.repeat} runs; {os.cpu_count()} cores")
    rows = []
    for name, rs in runs.items():
        seconds, peak = statistics.median(s for s, _m in rs), statistics.median(m for _s, m in rs)
        print(f"{name:28} {seconds:8.2f} s {peak:8.0f} MB")
        rows.append({"bench": "load", "command": name, "triples": triples, "seconds": round(seconds, 2),
                     "peak_mb": round(peak, 1), "repeat": args.repeat, "cores": os.cpu_count()})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs=2, default=[3_200, 12_800], metavar=("SMALL", "LARGE"),
                        help="generated articles built into the two graphs (about 150 triples each)")
    parser.add_argument("--formats", nargs="+", choices=sorted(FORMATS), default=["neo4j", "trig", "nquads", "jsonld"])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command (the median is reported)")
    parser.add_argument("--unsorted", action="store_true", help="also measure the graphs as lines in random order")
    parser.add_argument("--baseline", type=Path, metavar="DIR",
                        help="source tree of another version whose kg export runs alongside, for comparison")
    parser.add_argument("--baseline-formats", nargs="+", choices=sorted(FORMATS), default=["neo4j"])
    parser.add_argument("--load", action="store_true",
                        help="measure kg load sparql into a local Virtuoso instead of the exports")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "vnkg-bench-export")
    parser.add_argument("--results", type=Path, help="append the results as JSON lines to this file")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    results = []
    if args.load:
        results = bench_load(args)
    for variant in () if args.load else ("as-built", "unsorted") if args.unsorted else ("as-built",):
        rows = {}
        for size in args.articles:
            built, shuffled, triples = graph_files(args.work, size)
            graph = built if variant == "as-built" else shuffled
            with tempfile.TemporaryDirectory(prefix="out-", dir=args.work) as scratch:
                rows[size] = {"triples": triples, "mb": round(graph.stat().st_size / 1e6, 1),
                                **measure(graph, args.formats, args.repeat, Path(scratch), args.baseline,
                                          args.baseline_formats)}
        small, large = (rows[p] for p in args.articles)
        print(f"\n{variant} graph.ttl: {small['triples']:,} and {large['triples']:,} triples "
              f"({small['mb']} and {large['mb']} MB); median of {args.repeat} runs; {os.cpu_count()} cores")
        head = (f"{'command':18} {'s small':>8} {'s large':>8} {'x rewrite':>10} {'MB small':>9} {'MB large':>9} "
                f"{'x rewrite':>10} {'MB growth':>10}")
        print(head)
        print("-" * len(head))
        for name in small:
            if name in ("triples", "mb"):
                continue
            a, b = small[name], large[name]
            ratio_s = b["seconds"] / large["rewrite"]["seconds"]
            ratio_m = b["peak_mb"] / large["rewrite"]["peak_mb"]
            growth = b["peak_mb"] / a["peak_mb"]
            print(f"{name:18} {a['seconds']:>8.2f} {b['seconds']:>8.2f} {ratio_s:>10.2f} {a['peak_mb']:>9.0f} "
                  f"{b['peak_mb']:>9.0f} {ratio_m:>10.2f} {growth:>10.2f}")
            results.append({"bench": "export", "variant": variant, "command": name,
                            "triples": [small["triples"], large["triples"]],
                            "seconds": [a["seconds"], b["seconds"]], "peak_mb": [a["peak_mb"], b["peak_mb"]],
                            "time_x_rewrite_large": round(ratio_s, 2), "memory_x_rewrite_large": round(ratio_m, 2),
                            "memory_growth_small_to_large": round(growth, 2), "repeat": args.repeat,
                            "cores": os.cpu_count()})
    if args.results:
        with args.results.open("a", encoding="utf-8") as handle:
            for row in results:
                handle.write(json.dumps(row) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
