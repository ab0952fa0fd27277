"""`kg build` and `kg eval`: argument parsing and the one-screen summaries."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from kg.rdf.iri import DEFAULT_BASE


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the graph of news files or folders",
                       description="Read .txt, .jsonl and .html news files (folders are walked) and write "
                                   "DIR/graph.ttl (the merged graph) and DIR/report.json (per article).")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of articles")
    p.add_argument("--out", required=True, metavar="DIR", help="output folder (created if missing)")
    p.add_argument("--base-iri", default=DEFAULT_BASE, metavar="IRI",
                   help=f"base of resource IRIs (default {DEFAULT_BASE})")
    p.add_argument("--strict", action="store_true", help="exit non-zero if any input could not be built")
    p.add_argument("--no-validate", action="store_true", help="skip the SHACL check of the result")
    p.add_argument("--no-html", action="store_true", help="do not write the interactive view DIR/graph.html")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=run_build)

    e = sub.add_parser("eval", help="score a graph against gold facts",
                       description="Precision, recall and F1 per kind, with misses and extras, for a gold file "
                                   "in the format of the seed gold (see docs/evaluation.md).")
    e.add_argument("gold", help="gold facts (JSON)")
    e.add_argument("graph", help="a graph file (Turtle, N-Triples, TriG, N-Quads) or a folder with graph.ttl")
    e.add_argument("--json", action="store_true", help="print the full report as JSON")
    e.set_defaults(func=run_eval)


def run_build(args: argparse.Namespace) -> int:
    from kg.builder import build_corpus, write_outputs

    progress = not args.no_progress and sys.stderr.isatty()
    result = build_corpus(args.paths, base=args.base_iri, progress=progress, validate=not args.no_validate)
    if not result.ok:
        for a in result.failed:
            print(f"error: {a.error}", file=sys.stderr)
        print("kg build: nothing could be built; no output written", file=sys.stderr)
        return 1
    written = write_outputs(result, args.out)
    if not args.no_html:
        html = _write_html(result.graph, Path(args.out))
        if html is not None:
            written["view"] = html
    print(summary(result, written))
    return 1 if (args.strict and result.failed) else 0


def _write_html(graph, out: Path) -> Path | None:
    from kg.viz import write_html

    path = out / "graph.html"
    write_html(graph, path)
    return path


def summary(result, written) -> str:
    t = result.totals()
    lines = [f"built {t['articles']} article(s) in {t['seconds']:.1f} s"
             + (f", {t['failed']} failed" if t["failed"] else "")]
    ents = ", ".join(f"{v} {k}" for k, v in t["entities"].items()) or "none"
    facts = ", ".join(f"{v} {k}" for k, v in t["facts"].items()) or "none"
    lines.append(f"  entities: {ents}")
    lines.append(f"  facts:    {facts}")
    lines.append(f"  triples:  {t['triples']}")
    if result.violations:
        lines.append(f"  SHACL:    {len(result.violations)} violation(s), listed in report.json")
    for a in result.failed[:10]:
        lines.append(f"  skipped:  {a.error}")
    if len(result.failed) > 10:
        lines.append(f"  ... and {len(result.failed) - 10} more in report.json")
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
