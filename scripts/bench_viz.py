#!/usr/bin/env python3
"""Measure the graph page on a large built graph: page writing, file size, time until interactive.

    .venv/bin/python scripts/bench_viz.py                          # 2,300 articles (about 20,000 nodes), 3 runs
    .venv/bin/python scripts/bench_viz.py --articles 1000 --runs 5 --work /tmp/viz-bench --keep /tmp/big.html

Generates news articles with kg.synthetic and builds them with the real pipeline
(kg.builder, cached in --work so a second run skips the analysis), writes the page, and
opens it from a file:// URL in headless Chromium (/usr/bin/chromium). Reports the median
over the runs of the seconds from navigation until the page is interactive
(`window.vnkg.ready`: data read, first screen drawn, controls wired), and how long a click,
a search, a zoom, opening the map, a step of the time window and "Show all" take until
the next painted frame. The same run times a reference page of the same size that only
reads its data, so the page's own cost is also given as a ratio that does not depend on
how loaded the machine is. Prints a Markdown table for docs/viz.md.
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
    "click a person (profile shown)": """(async () => {
        const t = performance.now();
        const id = vnkg.cy.nodes('.person')[0].id();
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
    "open the map (arcs drawn)": """(async () => {
        const t = performance.now();
        vnkg.setTab('map');
        await %s;
        if (!document.querySelector('#map .arc')) throw new Error('no arcs');
        return performance.now() - t; })()""" % _PAINTED,
    "move the time window one month (map and timeline follow)": """(async () => {
        const t = performance.now();
        const a = document.getElementById('window-from'), b = document.getElementById('window-to');
        a.value = '3'; a.dispatchEvent(new Event('input'));
        b.value = '14'; b.dispatchEvent(new Event('input'));
        await %s;
        await %s;
        return performance.now() - t; })()""" % (_PAINTED, _PAINTED),
    "show all nodes (graph tab)": """(async () => {
        vnkg.setTab('graph');
        document.getElementById('reset').click();
        await %s;
        const t = performance.now();
        document.getElementById('show-all').click();
        await %s;
        return performance.now() - t; })()""" % (_PAINTED, _PAINTED),
}

_REFERENCE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>reference</title></head><body>
<script type="application/json" id="vnkg-data">{data}</script>
<script>
  var data = JSON.parse(document.getElementById("vnkg-data").textContent);
  requestAnimationFrame(function () {{ requestAnimationFrame(function () {{
    window.vnkg = {{ ready: true, readyAt: performance.now(), nodes: data.nodes.length }};
  }}); }});
</script></body></html>"""


def built_graph(articles: int, seed: int, work: Path):
    """Generated articles built by the real pipeline (the analysis cached in `work`)."""
    from kg.builder import build_corpus
    from kg.synthetic import write_corpus

    corpus = work / f"articles-{articles}-{seed}"
    files = sorted(corpus.glob("*.jsonl")) if corpus.is_dir() else []
    if not files:
        files = write_corpus(corpus, articles, seed=seed)
    scratch = work / "scratch"
    scratch.mkdir(parents=True, exist_ok=True)
    result = build_corpus(files, validate=False, workers=2, cache_dir=work / "cache", work_dir=scratch)
    try:
        return result.graph, result.reused
    finally:
        result.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2300, help="generated articles to build (default 2300: about 20,000 nodes)")
    parser.add_argument("--runs", type=int, default=3, help="page loads to time (default 3; the median is reported)")
    parser.add_argument("--shown", type=int, default=None, help="nodes drawn at first (default: the page's 1500)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--work", type=Path, help="keep the articles and the build cache here (default: a temporary folder)")
    parser.add_argument("--keep", type=Path, help="also keep the page at this path")
    args = parser.parse_args(argv)

    from kg.viz.headless import Browser
    from kg.viz.page import render_view, view_data, write_atomic

    with tempfile.TemporaryDirectory(prefix="vnkg-bench-") as tmp:
        work = args.work or Path(tmp)
        started = time.perf_counter()
        graph, reused = built_graph(args.articles, args.seed, work)
        built = time.perf_counter() - started
        started = time.perf_counter()
        view = view_data(graph, shown=args.shown)
        laid_out = time.perf_counter() - started
        page = render_view(view).encode("utf-8")
        rendered = time.perf_counter() - started
        path = write_atomic(Path(tmp) / "graph.html", page)
        payload = json.dumps(view, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
        reference = write_atomic(Path(tmp) / "reference.html", _REFERENCE.format(data=payload).encode("utf-8"))
        if args.keep:
            write_atomic(args.keep, page)

        loads, inside, references, actions = [], [], [], {name: [] for name in _ACTIONS}
        with Browser() as browser:
            for _ in range(args.runs):
                references.append(browser.open(reference.as_uri(), timeout=120))
                loads.append(browser.open(path.as_uri(), timeout=120))
                inside.append(browser.evaluate("window.vnkg.readyAt") / 1000)
                requests = browser.requests()
                if requests != [path.as_uri()]:
                    raise SystemExit(f"the page made requests besides itself: {requests}")
                first = browser.evaluate("vnkg.cy.nodes().length")
                for name, script in _ACTIONS.items():
                    actions[name].append(browser.evaluate(script) / 1000)
                drawn = browser.evaluate("vnkg.cy.nodes().length")

    stats = view["stats"]
    load, ref = statistics.median(loads), statistics.median(references)
    rows = [
        ("articles built", f"{args.articles:,} ({reused:,} from the cache) in {built:.1f} s"),
        ("nodes / links in the graph", f"{stats['nodes']:,} / {stats['edges']:,}"),
        ("nodes drawn on the first screen", f"{first:,}"),
        ("page file size", f"{len(page) / 1e6:.1f} MB"),
        ("page written (`render_html`: data, PageRank, layout)", f"{rendered:.2f} s (data and layout {laid_out:.2f} s)"),
        ("**navigation → interactive** (wall clock, median)", f"**{load:.2f} s**"),
        ("navigation → interactive (page clock, median)", f"{statistics.median(inside):.2f} s"),
        ("reference page of the same size, data read only (median)", f"{ref:.2f} s"),
        ("interactive ÷ reference", f"{load / ref:.2f}"),
    ]
    rows += [(name, f"{statistics.median(times) * 1000:.0f} ms") for name, times in actions.items()]
    rows.append(("nodes drawn after 'show all'", f"{drawn:,}"))
    print(f"| measure ({args.runs} runs, headless Chromium) | value |")
    print("|---|---|")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(json.dumps({"loads_s": [round(x, 3) for x in loads], "reference_s": [round(x, 3) for x in references]}),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
