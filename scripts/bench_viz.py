#!/usr/bin/env python3
"""Measure the graph page on a generated large graph: build time, file size, time until interactive.

    .venv/bin/python scripts/bench_viz.py                 # 5,000 nodes, 3 runs
    .venv/bin/python scripts/bench_viz.py --nodes 10000 --runs 5 --keep /tmp/big.html

Opens the page from a file:// URL in headless Chromium (/usr/bin/chromium) and reports
the median over the runs: seconds from navigation until the page is interactive
(`window.vnkg.ready`: data read, nodes drawn, controls wired), then how long a click
on a node, "Show all" (every node drawn), a search and a zoom take until the next
frame is painted. Prints a Markdown table for docs/viz.md.
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# Resolves after the next painted frame, so a measure includes drawing, not just the script.
_PAINTED = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

_ACTIONS = {
    "click a node (details shown)": """(async () => {
        const t = performance.now();
        const id = vnkg.cy.nodes().filter(n => n.data('kind') === 'person')[0].id();
        vnkg.select(id);
        await %s;
        if (!document.querySelector('#details h2')) throw new Error('no details');
        return performance.now() - t; })()""" % _PAINTED,
    "search 'nguyen van' (results listed)": """(async () => {
        const t = performance.now();
        const box = document.getElementById('search');
        box.value = 'nguyen van';
        box.dispatchEvent(new Event('input'));
        await %s;
        if (!document.querySelector('#search-results li')) throw new Error('no results');
        return performance.now() - t; })()""" % _PAINTED,
    "zoom in (frame painted)": """(async () => {
        const t = performance.now();
        vnkg.cy.zoom({ level: vnkg.cy.zoom() * 1.5, renderedPosition: { x: 300, y: 300 } });
        await %s;
        return performance.now() - t; })()""" % _PAINTED,
    "show all nodes": """(async () => {
        const t = performance.now();
        document.getElementById('show-all').click();
        await %s;
        return performance.now() - t; })()""" % _PAINTED,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=5000, help="about how many nodes to generate (default 5000)")
    parser.add_argument("--runs", type=int, default=3, help="page loads to time (default 3; the median is reported)")
    parser.add_argument("--shown", type=int, default=None, help="nodes drawn at first (default: the page's 1500)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="also keep the generated page at this path")
    args = parser.parse_args(argv)

    from kg.viz.headless import Browser
    from kg.viz.page import render_view, view_data, write_atomic
    from kg.viz.synthetic import synthetic_graph

    started = time.perf_counter()
    graph = synthetic_graph(args.nodes, seed=args.seed)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    view = view_data(graph, shown=args.shown)
    laid_out = time.perf_counter() - started
    page = render_view(view).encode("utf-8")
    rendered = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="vnkg-bench-"))
    path = write_atomic(folder / "graph.html", page)
    if args.keep:
        write_atomic(args.keep, page)

    loads, inside, actions = [], [], {name: [] for name in _ACTIONS}
    with Browser() as browser:
        for _ in range(args.runs):
            loads.append(browser.open(path.as_uri(), timeout=120))
            inside.append(browser.evaluate("window.vnkg.readyAt") / 1000)
            requests = browser.requests()
            if requests != [path.as_uri()]:
                raise SystemExit(f"the page made requests besides itself: {requests}")
            for name, script in _ACTIONS.items():
                actions[name].append(browser.evaluate(script) / 1000)
            drawn = browser.evaluate("vnkg.cy.nodes().length")

    stats = view["stats"]
    rows = [
        ("nodes / links in the graph", f"{stats['nodes']:,} / {stats['edges']:,}"),
        ("nodes drawn when the page opens", f"{min(view['shown'], stats['nodes']):,}"),
        ("page file size", f"{len(page) / 1e6:.1f} MB"),
        ("graph generated (rdflib)", f"{generated:.2f} s"),
        ("page written (`render_html`: data, PageRank, layout)", f"{rendered:.2f} s (layout and data {laid_out:.2f} s)"),
        ("**navigation → interactive** (wall clock, median)", f"**{statistics.median(loads):.2f} s**"),
        ("navigation → interactive (page clock, median)", f"{statistics.median(inside):.2f} s"),
    ]
    rows += [(name, f"{statistics.median(times) * 1000:.0f} ms") for name, times in actions.items()]
    rows.append(("nodes drawn after 'show all'", f"{drawn:,}"))
    print(f"| measure ({args.runs} runs, headless Chromium) | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(json.dumps({"loads_s": [round(x, 3) for x in loads]}), file=sys.stderr)
    path.unlink()
    folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
