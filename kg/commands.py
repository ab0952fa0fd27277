"""`kg build` and `kg eval`: argument parsing and the one-screen summaries."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.rdf.iri import DEFAULT_BASE

VALIDATE_LIMIT = 250_000  # kg.builder.VALIDATE_LIMIT, repeated so that `kg --help` imports no pipeline
HTML_LIMIT = 200_000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the graph of news files or folders",
                       description="Read .txt, .jsonl and .html news files (folders are walked) and write "
                                   "DIR/graph.ttl (the merged graph) and DIR/report.json (per article).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of articles")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--base-iri", default=DEFAULT_BASE, metavar="IRI", type=_base_iri,
                   help=f"base of resource IRIs (default {DEFAULT_BASE})")
    p.add_argument("--strict", action="store_true", help="exit non-zero if any input could not be built")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the result")
    p.add_argument("--no-html", action="store_true", help="do not write the interactive view DIR/graph.html")
    p.add_argument("--store", metavar="STORE_DIR",
                   help="also fill a persistent Oxigraph store folder, for `kg serve STORE_DIR` (no re-parsing)")
    p.add_argument("--dataset", choices=("trig", "nquads"),
                   help="also write DIR/graph.trig or DIR/graph.nq: one named graph per article, for bulk loaders")
    p.add_argument("--gzip", action="store_true", help="with --dataset: compress it (.gz)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--validate", action="store_true",
                   help="run the SHACL check whatever the graph's size (by default it is skipped, with a note, "
                        f"above {VALIDATE_LIMIT:,} triples)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="analyse articles in N processes (0: one per core); the output does not depend on N")
    p.add_argument("--no-cache", action="store_true", help="analyse every article again, ignoring the cache")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="where analysed articles are kept between builds (default DIR/.cache, DIR being --out)")
    p.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="local: this machine (default); spark: Apache Spark (pip install 'vnkg[spark]')")
    p.add_argument("--master", metavar="URL", help="Spark master URL (default local[*]; with --engine spark)")
    p.add_argument("--quads", metavar="DIR",
                   help="with --engine spark: where the per-article N-Quads are written (default DIR/quads; "
                        "HDFS and S3 URLs work)")
    p.add_argument("--html-limit", type=int, default=HTML_LIMIT, metavar="TRIPLES",
                   help=f"write graph.html only for graphs of at most this many triples (default {HTML_LIMIT:,})")
    p.set_defaults(func=run_build)

    e = sub.add_parser("eval", help="score a graph against gold facts",
                       description="Precision, recall and F1 per kind, with misses and extras, for a gold file "
                                   "in the format of the seed gold (see docs/evaluation.md).")
    e.add_argument("gold", help="gold facts (JSON)")
    e.add_argument("graph", help="a graph file (Turtle, N-Triples, TriG, N-Quads) or a folder with graph.ttl")
    e.add_argument("--json", action="store_true", help="print the full report as JSON")
    e.set_defaults(func=run_eval)


def _base_iri(value: str) -> str:
    from kg.rdf.iri import check_base

    try:
        return check_base(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def run_build(args: argparse.Namespace) -> int:
    from kg.builder import build_corpus, write_outputs
    from kg.errors import EngineError

    progress = not args.no_progress and sys.stderr.isatty()
    out = Path(args.out)
    if args.workers < 0:
        raise EngineError(f"--workers {args.workers}: give a number of processes, or 0 for one per core")
    workers = args.workers
    if workers == 0:
        from kg.scale.parallel import default_workers

        workers = default_workers()
    cache_dir = None if args.no_cache else Path(args.cache_dir) if args.cache_dir else out / ".cache"
    validate = False if args.no_validate else True if args.validate else None
    result = build_corpus(args.paths, base=args.base_iri, progress=progress, validate=validate, workers=workers,
                          cache_dir=cache_dir if args.engine == "local" else None, engine=args.engine,
                          master=args.master, quads=args.quads or str(out / "quads"))
    built, failed = result.counts()
    if not built:
        for a in result.articles:
            print(f"error: {a.error}", file=sys.stderr)
        print("kg build: nothing could be built; no output written", file=sys.stderr)
        return 1
    draw = not args.no_html and result.triples <= args.html_limit
    if not args.no_html and not draw:
        result.notes.append(f"graph.html not written: {result.triples:,} triples is over --html-limit "
                            f"{args.html_limit:,}")
    written = write_outputs(result, out)
    if args.engine == "spark":
        written["quads"] = args.quads or str(out / "quads")
    if draw:
        html = _write_html(result.graph, out)
        if html is not None:
            written["view"] = html
    written.update(_extra_outputs(args, out / "graph.ttl"))
    print(summary(result, written))
    return 1 if (args.strict and failed) else 0


def _extra_outputs(args: argparse.Namespace, graph_ttl: Path) -> dict[str, Path]:
    """The store folder and the per-article dataset, both made from the graph.ttl just written."""
    extra: dict[str, Path] = {}
    if args.dataset:
        from kg.export.quads import write_dataset
        from kg.export.source import read_graph

        name = graph_ttl.with_name("graph.trig" if args.dataset == "trig" else "graph.nq")
        extra["dataset"], _ = write_dataset(read_graph(graph_ttl), name, fmt=args.dataset, compress=args.gzip or None)
    if args.store:
        from kg.serve.store import load_store

        load_store([graph_ttl], args.store)
        extra["store"] = Path(args.store)
    return extra


def _write_html(graph, out: Path) -> Path | None:
    """out/graph.html; the graph is built either way, so a view that cannot be drawn is only reported."""
    from kg.errors import VnkgError
    from kg.viz import write_html

    path = out / "graph.html"
    try:
        write_html(graph, path)
    except VnkgError as exc:
        print(f"kg build: graph.html not written: {exc}", file=sys.stderr)
        return None
    return path


def summary(result, written) -> str:
    t = result.totals()
    lines = [f"built {t['articles']} article(s) in {t['seconds']:.1f} s"
             + (f", {t['failed']} failed" if t["failed"] else "")
             + (f"; {t['reused']} reused from the cache" if t.get("reused") else "")]
    ents = ", ".join(f"{v} {k}" for k, v in t["entities"].items()) or "none"
    facts = ", ".join(f"{v} {k}" for k, v in t["facts"].items()) or "none"
    lines.append(f"  entities: {ents}")
    lines.append(f"  facts:    {facts}")
    lines.append(f"  triples:  {t['triples']}")
    if result.violations:
        lines.append(f"  SHACL:    {len(result.violations)} violation(s), listed in report.json")
    for note in getattr(result, "notes", ()):
        lines.append(f"  note:     {note}")
    shown = 0
    for a in result.articles if t["failed"] else ():
        if a.status != "ok" and shown < 10:
            lines.append(f"  skipped:  {a.error}")
            shown += 1
    if t["failed"] > 10:
        lines.append(f"  ... and {t['failed'] - 10} more in report.json")
    for name, path in written.items():
        lines.append(f"  {name:<8}  {path}")
    return "\n".join(lines)


def run_eval(args: argparse.Namespace) -> int:
    import json

    from kg.evaluate import evaluate, render

    graph = Path(args.graph)
    if graph.is_dir():
        graph = graph / "graph.ttl"
    report = evaluate(Path(args.gold), graph)
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))
    return 0
