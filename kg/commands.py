"""`kg build` and `kg eval`: argument parsing and the one-screen summaries."""
from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from pathlib import Path

from kg.builder import VALIDATE_LIMIT
from kg.outputs import HTML_LIMIT
from kg.report import DEFAULT_BASE
from kg.step import TIME_LIMIT


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build", help="build the graph of news files or folders",
                       description="Read .txt, .jsonl and .html news files (folders are walked) and write "
                                   "DIR/graph.ttl (the merged graph) and DIR/report.json (per article).")
    add_build_arguments(p)
    p.set_defaults(func=run_build)

    e = sub.add_parser("eval", help="score a graph against gold facts",
                       description="Precision, recall and F1 per kind, with misses and extras, for a gold file "
                                   "in the format of the seed gold (see docs/evaluation.md).")
    e.add_argument("gold", help="gold facts (JSON)")
    e.add_argument("graph", help="a graph file (Turtle, N-Triples, TriG, N-Quads) or a folder with graph.ttl")
    e.add_argument("--json", action="store_true", help="print the full report as JSON")
    e.set_defaults(func=run_eval)


def add_build_arguments(p: argparse.ArgumentParser) -> None:
    """The options of `kg build` (scripts/spark_build.py takes the same)."""
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or folders of articles (local, or hdfs:// and "
                                                            "s3a:// with --engine spark)")
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
    p.add_argument("--no-progress", action="store_true", help="no progress display")
    p.add_argument("--validate", action="store_true",
                   help="run the SHACL check whatever the graph's size (by default it is skipped, with a note, "
                        f"above {VALIDATE_LIMIT:,} triples)")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="analyse articles in N processes (0: one per core); the output does not depend on N")
    p.add_argument("--no-cache", action="store_true", help="analyse every article again, ignoring the cache")
    p.add_argument("--cache-dir", metavar="DIR",
                   help="where analysed articles are kept between builds (default DIR/.cache, DIR being --out)")
    p.add_argument("--time-limit", type=float, default=TIME_LIMIT, metavar="SECONDS",
                   help=f"seconds one article may take before it is reported as an error (default {TIME_LIMIT:g}; "
                        "0: no limit)")
    p.add_argument("--engine", choices=("local", "spark"), default="local",
                   help="local: this machine (default); spark: Apache Spark (pip install 'vnkg[spark]')")
    p.add_argument("--master", metavar="URL", help="Spark master URL (default local[*], or spark-submit's; "
                                                   "with --engine spark)")
    p.add_argument("--quads", metavar="DIR",
                   help="with --engine spark: where the per-article N-Quads are written (default DIR/quads; "
                        "HDFS and S3 URLs work)")
    p.add_argument("--partitions", type=int, metavar="N",
                   help="with --engine spark: partitions to spread the articles over")
    p.add_argument("--html-limit", type=int, default=HTML_LIMIT, metavar="TRIPLES",
                   help=f"write graph.html only for graphs of at most this many triples (default {HTML_LIMIT:,})")


def _base_iri(value: str) -> str:
    from kg.rdf.iri import check_base

    try:
        return check_base(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


class Stopped(BaseException):
    """SIGTERM or SIGHUP during a build: unwinds like Ctrl-C, so every work file is removed on the way out."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


@contextlib.contextmanager
def _stop_on_signals():
    def stop(signum, frame):
        raise Stopped(signum)

    previous = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGHUP)}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def run_build(args: argparse.Namespace) -> int:
    from kg.errors import EngineError

    if args.workers < 0:
        raise EngineError(f"--workers {args.workers}: give a number of processes, or 0 for one per core")
    if args.time_limit < 0:
        raise EngineError(f"--time-limit {args.time_limit:g}: give a number of seconds, or 0 for no limit")
    from kg.outputs import os_problem

    try:
        with _stop_on_signals():
            return _build(args)
    except OSError as exc:  # a full disk, a folder that is not ours: one line naming the path
        raise os_problem(None, exc) from None
    except Stopped as stop:
        print(f"kg build: stopped by {signal.Signals(stop.signum).name}; the outputs are as they were before this "
              "build, and its work files are removed", file=sys.stderr)
        return 128 + stop.signum


def _build(args: argparse.Namespace) -> int:
    from kg.builder import build_corpus, save_state
    from kg.outputs import OutputFolder, check_out_dir, check_store_dir, write_outputs
    from kg.scale.progress import Progress

    out = check_out_dir(args.out)  # before anything else: a file, a FIFO or a device is refused at once
    if args.store:
        check_store_dir(args.store)
    workers = args.workers
    if workers == 0:
        from kg.scale.parallel import default_workers

        workers = default_workers()
    local = args.engine == "local"
    cache_dir = None if args.no_cache or not local else Path(args.cache_dir) if args.cache_dir else out / ".cache"
    validate = False if args.no_validate else True if args.validate else None
    progress = Progress(not args.no_progress and sys.stderr.isatty())
    quads = args.quads or str(out / "quads")
    elsewhere = (cache_dir,) if cache_dir is not None and not _inside(cache_dir, out) else ()
    with OutputFolder(out, extra=elsewhere) as folder:
        result = build_corpus(args.paths, base=args.base_iri, progress=progress, validate=validate,
                              workers=workers, cache_dir=cache_dir, work_dir=folder.work, engine=args.engine,
                              master=args.master, quads=quads, partitions=args.partitions,
                              time_limit=args.time_limit)
        try:
            built, failed = result.counts()
            if not built:
                for a in result.articles:
                    print(f"error: {a.error}", file=sys.stderr)
                print("kg build: nothing could be built; no output written", file=sys.stderr)
                return 1
            keep = _intact(result, out, html=not args.no_html)
            written = write_outputs(result, out, html=not args.no_html, html_limit=args.html_limit,
                                    dataset=args.dataset, gzip=args.gzip, store=args.store, work=folder.work,
                                    progress=progress, keep=keep)
            if not local:
                written["quads"] = quads
            save_state(result, out, written, cache_dir)
            print(summary(result, written, kept=keep))
        finally:
            result.close()
    return 1 if (args.strict and failed) else 0


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def _intact(result, out: Path, *, html: bool) -> frozenset[str]:
    """The outputs a rebuild need not write again: written from the very same graph and not touched since."""
    last = result.last_build
    if last is None or result.merged_digest is None:
        return frozenset()
    kept = set()
    if last.intact("graph", out / "graph.ttl", out, result.merged_digest):
        kept.add("graph")
    if html and last.intact("view", out / "graph.html", out, result.merged_digest):
        kept.add("view")
    return frozenset(kept)


def summary(result, written, kept: frozenset[str] = frozenset()) -> str:
    t = result.totals()
    lines = [f"built {t['articles']} article(s) in {t['seconds']:.1f} s"
             + (f", {t['failed']} failed" if t["failed"] else "")
             + (f"; {t['reused']} reused from the cache" if t.get("reused") else "")]
    if t.get("same_text"):
        lines.append(f"  same text: {t['same_text']} input(s) repeat the text of an earlier one "
                     "(one article each, all file names recorded)")
    graph = t["graph"]
    ents = ", ".join(f"{v} {k}" for k, v in graph["entities"].items() if v) or "none"
    facts = ", ".join(f"{v} {k}" for k, v in graph["facts"].items() if v) or "none"
    lines.append(f"  entities: {ents}")
    lines.append(f"  facts:    {facts}")
    lines.append(f"  triples:  {t['triples']}  (distinct in the merged graph; per-article counts in report.json)")
    if result.violations:
        lines.append(f"  SHACL:    {len(result.violations)} violation(s), listed in report.json")
    if getattr(result, "unchanged", False):
        lines.append("  note:     nothing changed since the last build into this folder")
    for note in getattr(result, "notes", ()):
        lines.append(f"  note:     {note}")
    shown = 0
    for a in result.articles if t["failed"] else ():
        if a.status != "ok" and shown < 10:
            lines.append(f"  skipped:  {a.error}")
            shown += 1
    if t["failed"] > 10:
        lines.append(f"  ... and {t['failed'] - 10} more in report.json")
    names = {"graph": "graph", "report": "report", "view": "view", "dataset": "dataset", "store": "store",
             "quads": "quads"}
    for name, path in written.items():
        lines.append(f"  {names.get(name, name):<8}  {path}" + ("  (unchanged)" if name in kept else ""))
    return "\n".join(lines)


def run_eval(args: argparse.Namespace) -> int:
    import json

    from kg.evaluate import evaluate, render

    report = evaluate(Path(args.gold), Path(args.graph))
    print(json.dumps(report, ensure_ascii=False, indent=1) if args.json else render(report))
    return 0
