#!/usr/bin/env python3
"""Take the screenshots of the graph page shown in docs/viz.md, so they stay current.

    .venv/bin/python scripts/viz_screenshots.py                   # output/graph.ttl -> docs/images/viz-*.png
    .venv/bin/python scripts/viz_screenshots.py --graph build/graph.ttl --out /tmp/shots

Writes the page for GRAPH (default: the committed build of the sample articles) and opens
it in headless Chromium (/usr/bin/chromium) at 1440×900, as a person would, then saves:

    viz-first-screen.png   the page as it opens: who went where, and met whom
    viz-map.png            the Map tab, with the busiest route clicked: its visits and their sentences
    viz-profile.png        the profile of the person with the most visits and meetings

Fails, saying why, if the page makes any request besides reading itself.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_PAINTED = "new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=ROOT / "output" / "graph.ttl", help="graph file (default output/graph.ttl)")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="folder for the PNG files (default docs/images)")
    args = parser.parse_args(argv)

    from kg.viz.cli import graph_file, load_graph
    from kg.viz.headless import Browser
    from kg.viz.page import write_html

    graph = load_graph(graph_file(args.graph))
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vnkg-shots-") as tmp:
        page = write_html(graph, Path(tmp) / "graph.html", title="vnkg — the sample articles")
        with Browser() as browser:
            browser.open(page.as_uri(), timeout=120)

            def shot(name: str) -> None:
                browser.evaluate(_PAINTED)
                time.sleep(0.3)  # animations (centring on a node) come to rest
                path = browser.screenshot(args.out / name)
                print(f"wrote {path} ({path.stat().st_size / 1e3:.0f} KB)")

            shot("viz-first-screen.png")
            browser.evaluate("vnkg.setTab('map')")
            browser.evaluate("(() => { const route = document.querySelector('#routes button'); if (route) route.click(); })()")
            shot("viz-map.png")
            browser.evaluate("vnkg.setTab('graph')")
            busiest = browser.evaluate("""(() => {
                const people = vnkg.data.nodes.filter(n => n.kind === 'person' && n.profile);
                people.sort((a, b) => (b.profile.made.length + b.profile.meetings.length) - (a.profile.made.length + a.profile.meetings.length));
                return people.length ? people[0].id : null; })()""")
            if busiest:
                browser.evaluate(f"vnkg.select({busiest!r})")
            shot("viz-profile.png")
            requests = browser.requests()
            if requests != [page.as_uri()]:
                raise SystemExit(f"the page made requests besides itself: {requests}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
