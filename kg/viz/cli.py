"""`kg viz`: read a graph, write the interactive page (HTML) or a static picture (PNG/SVG)."""
from __future__ import annotations

import argparse
import logging
from pathlib import Path

from kg.errors import ViewError

log = logging.getLogger(__name__)

_SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".png": "png", ".svg": "svg"}


def register(subparsers: argparse._SubParsersAction) -> None:
    viz = subparsers.add_parser(
        "viz", help="draw a graph: an interactive page (HTML) or an overview picture (PNG/SVG)",
        description="Write GRAPH (a graph file, or a folder holding graph.ttl) as one self-contained HTML page "
                    "with the graph, a timeline of visits and meetings, search and filters — it opens offline "
                    "and can be sent by e-mail — or as a static PNG/SVG overview for reports.")
    viz.add_argument("graph", type=Path, help="graph file (.ttl, .nt, .nq, .trig, .jsonld) or folder holding graph.ttl")
    viz.add_argument("--out", type=Path,
                     help="file to write (default: graph.html, or graph.png/.svg, beside the graph)")
    viz.add_argument("--format", choices=("html", "png", "svg"),
                     help="what to write (default: from --out's suffix, else html)")
    viz.add_argument("--focus", metavar="NAME",
                     help="keep one person, country, organisation or place (name or IRI; diacritics optional) "
                          "and its neighbourhood")
    viz.add_argument("--since", metavar="DATE", help="keep facts dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    viz.add_argument("--until", metavar="DATE", help="keep facts dated on or before DATE (YYYY, YYYY-MM or YYYY-MM-DD)")
    viz.add_argument("--title", help="title shown on the page or picture")
    viz.add_argument("--shown", type=int, metavar="N",
                     help="HTML: how many of the most important nodes a large graph draws at first (default 1500)")
    viz.add_argument("--view", choices=("people", "facts"), default="people",
                     help="what the graph shows first: people and countries with visits and meetings as links "
                          "(default), or every fact as a node")
    viz.add_argument("--labels", type=int, default=40, metavar="N",
                     help="PNG/SVG: how many of the most important people, countries and places are named (default 40)")
    viz.set_defaults(func=run_viz)


def graph_file(path: Path) -> Path:
    """The graph file `path` names: itself, or graph.ttl inside a folder (kg.rdf.files)."""
    from kg.errors import GraphFileError
    from kg.rdf.files import resolve_graph_path

    try:
        return resolve_graph_path(path)
    except GraphFileError as exc:
        raise ViewError(str(exc)) from None


def load_graph(path: Path):
    """The graph file as one rdflib Graph (format from its suffix; named graphs merged)."""
    from kg.errors import GraphFileError
    from kg.rdf.files import read_rdflib

    try:
        return read_rdflib(path)
    except GraphFileError as exc:
        raise ViewError(str(exc)) from None


def run_viz(args: argparse.Namespace) -> int:
    from kg.viz.page import render_view, view_data, write_atomic
    from kg.viz.static import write_static

    source = graph_file(args.graph)
    fmt = args.format or (_SUFFIX_FORMATS.get(args.out.suffix.lower(), "html") if args.out else "html")
    out = args.out or source.with_name(f"{source.stem}.{fmt}")
    graph = load_graph(source)
    log.info("read %s: %d triples", source, len(graph))
    if fmt == "html":
        view = view_data(graph, focus=args.focus, since=args.since, until=args.until, title=args.title,
                         shown=args.shown)
        view["view"] = args.view
        page = render_view(view).encode("utf-8")
        write_atomic(out, page)
        stats = view["stats"]
        print(f"wrote {out}: {stats['nodes']:,} nodes, {stats['edges']:,} links, "
              f"{len(view['timeline']):,} timeline entries ({len(page) / 1e6:.1f} MB)")
    else:
        write_static(graph, out, format=fmt, focus=args.focus, since=args.since, until=args.until,
                     title=args.title, labels=args.labels, view=args.view)
        print(f"wrote {out}")
    return 0
