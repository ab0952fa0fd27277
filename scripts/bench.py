"""Benchmarks of `kg build` on generated corpora: throughput, memory, cache, workers, Spark.

    .venv/bin/python scripts/bench.py ratio --articles 1000
    .venv/bin/python scripts/bench.py ratio --corpus ../shared/corpus/real   # real news; also timed warm
    .venv/bin/python scripts/bench.py memory --articles 1000 50000 --workers 2
    .venv/bin/python scripts/bench.py incremental --articles 2000 --added 10    # rebuild / full build
    .venv/bin/python scripts/bench.py workers --articles 1000
    .venv/bin/python scripts/bench.py spark --articles 200
    .venv/bin/python scripts/bench.py html       # HTML main text: kg.ingest against trafilatura (pip install it)
    .venv/bin/python scripts/bench.py startup    # kg build of one article, against importing the libraries alone
    .venv/bin/python scripts/bench.py all --rounds 7   # every speed figure as a ratio, serve and exports included

Corpora are generated once under --work (default /tmp/vnkg-bench) by
kg.synthetic and reused. Every build runs as `python -m kg.cli build` in a
child process; its peak memory is the sum of the RSS of the process tree, sampled
every 0.1 s (psutil), and that of the main process alone. Results are printed
as a table and appended as JSON lines to --results.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def corpus(work: Path, articles: int, seed: int = 0) -> Path:
    from kg.synthetic import write_corpus

    folder = work / f"corpus-{articles}-{seed}"
    if not (folder / ".complete").exists():
        shutil.rmtree(folder, ignore_errors=True)
        write_corpus(folder, articles, seed=seed)
        (folder / ".complete").write_text("ok\n")
    return folder


def run_build(inputs: list[Path], out: Path, *extra: str, env: dict[str, str] | None = None) -> dict:
    """Run `kg build` in a child process (`env`: variables set for it); seconds, peak RSS (process
    tree and main process), its summary."""
    import psutil

    cmd = [sys.executable, "-m", "kg.cli", "build", *map(str, inputs), "--out", str(out), "--no-html",
           "--no-progress", *extra]
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env} if env else None)
    peak = main_peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak, main_peak
        try:
            parent = psutil.Process(proc.pid)
        except psutil.NoSuchProcess:
            return
        while not done.is_set():
            try:
                rss = [p.memory_info().rss for p in (parent, *parent.children(recursive=True))]
                peak, main_peak = max(peak, sum(rss)), max(main_peak, rss[0])
            except psutil.Error:
                pass
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    done.set()
    sampler.join()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{stderr[-3000:]}")
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {"seconds": round(seconds, 2), "peak_rss_tree_mb": round(peak / 2**20, 1),
            "main_process_rss_mb": round(main_peak / 2**20, 1), "totals": report["totals"], "summary": stdout.strip()}


def cleaned_texts(folder: Path) -> list[str]:
    from kg.clean import clean
    from kg.ingest import read_articles

    return [clean(a).text for a in read_articles([folder]) if not isinstance(a, Exception)]


def word_tokenize_seconds(texts: list[str]) -> float:
    """underthesea's word_tokenize alone over `texts` (its model loaded before the clock starts)."""
    from underthesea import word_tokenize

    word_tokenize("Khởi động mô hình.")
    started = time.perf_counter()
    for text in texts:
        word_tokenize(text)
    return time.perf_counter() - started


def bench_ratio(args) -> dict:
    """Build throughput per core against word_tokenize on the same cleaned text, in paired rounds.

    Each round times word_tokenize over the corpus and, right before or after it (in turn),
    `kg build` of the same corpus in a child process (one worker: interpreter start, model loading, merge and
    writing included, SHACL not); the ratio is taken per round, so a machine whose speed
    drifts between rounds still compares like with like, and the median round is reported.
    With --corpus DIR, on that folder (e.g. ../shared/corpus/real) instead of a generated
    corpus; a small corpus is also timed inside one process with the pipeline loaded
    (start-up would dominate a run of a few articles), paired the same way."""
    import statistics

    folder = args.corpus or corpus(args.work, args.articles[0])
    texts = cleaned_texts(folder)
    kb = sum(len(t.encode("utf-8")) for t in texts) / 1024
    rounds = []
    for wt, build in paired(lambda: word_tokenize_seconds(texts),
                            lambda: run_build([folder], args.work / "out-ratio", "--no-cache", "--workers", "1",
                                              "--no-validate"), args.rounds):
        rounds.append({"word_tokenize_s": round(wt, 2), "build_s": build["seconds"],
                       "ratio": round(wt / build["seconds"], 3), "peak_rss_tree_mb": build["peak_rss_tree_mb"]})
    middle = sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2]
    result = {"scenario": "ratio", "corpus": str(folder), "articles": len(texts), "kb": round(kb, 1),
              "rounds": rounds,
              "word_tokenize_kb_per_s": round(kb / middle["word_tokenize_s"], 1),
              "build_kb_per_s_per_core": round(kb / middle["build_s"], 1),
              "ratio_build_to_word_tokenize": middle["ratio"],
              "ratio_range": [min(r["ratio"] for r in rounds), max(r["ratio"] for r in rounds)],
              "note": "median of paired rounds; build time includes interpreter start, model loading, merge and "
                      "writing (not SHACL); word_tokenize excludes its model loading"}
    if args.corpus:
        warm = warm_rounds(folder, texts, max(args.rounds, 5))
        result["build_warm"] = warm
        result["ratio_warm_build_to_word_tokenize"] = statistics.median(r["ratio"] for r in warm)
    return result


def warm_rounds(folder: Path, texts: list[str], rounds: int) -> list[dict]:
    """Read, clean, analyse, write and merge every article of `folder` in this process, the
    pipeline loaded by a first build that is not counted; each build paired with a
    word_tokenize pass over the same text, before or after it in turn."""
    from kg.builder import build_corpus

    def build() -> float:
        started = time.perf_counter()
        build_corpus([folder]).close()
        return time.perf_counter() - started

    build()
    return [{"word_tokenize_s": round(wt, 3), "build_s": round(seconds, 3), "ratio": round(wt / seconds, 3)}
            for wt, seconds in paired(lambda: word_tokenize_seconds(texts), build, rounds)]


def paired(first, second, rounds: int) -> list[tuple]:
    """`rounds` pairs (first(), second()), which of the two runs first alternating, so a machine
    speeding up or slowing down over a round favours neither."""
    pairs = []
    for i in range(rounds):
        if i % 2:
            b = second()
            pairs.append((first(), b))
        else:
            a = first()
            pairs.append((a, second()))
    return pairs


def bench_memory(args) -> dict:
    rows = []
    for size in args.articles:
        folder = corpus(args.work, size)
        result = run_build([folder], args.work / f"out-mem-{size}", "--no-cache", "--workers", str(args.workers),
                           "--no-validate")
        rows.append({"articles": size, "seconds": result["seconds"], "peak_rss_tree_mb": result["peak_rss_tree_mb"],
                     "main_process_rss_mb": result["main_process_rss_mb"],
                     "triples": result["totals"]["triples"],
                     "articles_per_s": round(size / result["seconds"], 1)})
    return {"scenario": "memory", "workers": args.workers, "rows": rows}


def bench_incremental(args) -> dict:
    """A full build with the default SHACL rule, then the same corpus again, then with articles added, into the
    same folder: the rebuilds' times as ratios of the full build's (validation included in all three).
    A nothing-changed rebuild leaves the folder as it was, so it is run --rounds times (at least 3) and the
    median is taken: at well under a second, one run says more about the machine's moment than the build."""
    folder = corpus(args.work, args.articles[0])
    extra = corpus(args.work, args.added, seed=7)
    out = args.work / f"out-incr-{args.articles[0]}"
    shutil.rmtree(out, ignore_errors=True)
    common = ["--workers", str(args.workers)]
    full = run_build([folder], out, *common)
    runs = [run_build([folder], out, *common) for _ in range(max(args.rounds, 3))]
    again = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    added = run_build([folder, extra], out, *common)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return {"scenario": "incremental", "articles": args.articles[0], "added": args.added,
            "triples": full["totals"]["triples"], "validated": report.get("shacl_validated"),
            "full_s": full["seconds"], "unchanged_s": again["seconds"], "unchanged_runs_s": [r["seconds"] for r in runs],
            "unchanged_reused": again["totals"]["reused"],
            "added_s": added["seconds"], "added_reused": added["totals"]["reused"],
            "added_articles": added["totals"]["articles"],
            "ratio_unchanged_to_full": round(again["seconds"] / full["seconds"], 3),
            "ratio_added_to_full": round(added["seconds"] / full["seconds"], 3)}


def bench_startup(args) -> dict:
    """`kg build` of one sample article: interpreter start, imports, the pipeline and
    underthesea's model, one article, the outputs.

    The first run compiles the pipeline's patterns into a new, empty pattern cache
    (kg.compiled; the first run on a machine); the next --rounds (at least 3) read them, as
    every later run on a machine does. Each of those is paired with a child process that
    only imports the three libraries (`import spacy, underthesea, rdflib`), which goes first
    or second in turn: the median run and the median ratio say what vnkg adds to them."""
    import statistics
    import tempfile

    one = args.work / "one-article"
    shutil.rmtree(one, ignore_errors=True)
    one.mkdir(parents=True)
    shutil.copy(sorted((ROOT / "data" / "articles").glob("*.txt"))[0], one)
    env = {"VNKG_CACHE_DIR": tempfile.mkdtemp(prefix="patterns-", dir=args.work)}
    try:
        def build() -> float:
            return run_build([one], args.work / "out-startup", "--no-cache", "--workers", "1", "--no-validate",
                             env=env)["seconds"]

        first = build()
        imports, runs = map(list, zip(*paired(libraries_import_seconds, build, max(args.rounds, 3))))
    finally:
        shutil.rmtree(env["VNKG_CACHE_DIR"], ignore_errors=True)
    return {"scenario": "startup", "first_run_s": first, "runs_s": runs, "median_s": statistics.median(runs),
            "libraries_import_s": imports, "libraries_import_median_s": statistics.median(imports),
            "ratio_to_libraries_import": round(statistics.median(r / i for r, i in zip(runs, imports)), 3)}


def libraries_import_seconds() -> float:
    """A child Python that imports spaCy, underthesea and rdflib and leaves at once: the floor of any start-up."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import os, spacy, underthesea, rdflib; os._exit(0)"], cwd=ROOT, check=True)
    return round(time.perf_counter() - started, 2)


def _summary_lines(cmd: list[str], table_after: str | None = None) -> list[str]:
    """Run a benchmark script; its summary of ratios: the 'geometric mean' and 'slowest' lines,
    or its table (the lines after the first that holds `table_after`)."""
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if table_after is not None:
        start = next((i for i, line in enumerate(lines) if table_after in line), len(lines))
        return lines[start:]
    return [line for line in lines if line.startswith(("geometric mean", "slowest"))]


def bench_all(args) -> dict:
    """Every figure of build speed as a ratio, in one run: the build against word_tokenize
    (generated and real news), start-up, an unchanged rebuild against a full one, and the
    summaries of scripts/bench_serve.py (kg serve against Virtuoso) and
    scripts/bench_export.py (exports against a plain re-write), run as child processes."""
    out: dict = {"scenario": "all"}
    generated = bench_ratio(_with(args, corpus=None))
    out["build_to_word_tokenize_generated"] = generated["ratio_build_to_word_tokenize"]
    out["build_to_word_tokenize_generated_range"] = generated["ratio_range"]
    real = ROOT.parent / "shared" / "corpus" / "real"
    if args.corpus is not None or real.is_dir():
        warm = bench_ratio(_with(args, corpus=args.corpus or real))
        out["build_to_word_tokenize_real"] = warm["ratio_warm_build_to_word_tokenize"]
    startup = bench_startup(args)
    out["startup_s"], out["startup_first_run_s"] = startup["median_s"], startup["first_run_s"]
    out["startup_to_libraries_import"] = startup["ratio_to_libraries_import"]
    incremental = bench_incremental(_with(args, workers=max(args.workers, 2),
                                         articles=[args.incremental_articles]))
    out["unchanged_rebuild_to_full"] = incremental["ratio_unchanged_to_full"]
    out["unchanged_rebuild_s"], out["full_build_s"] = incremental["unchanged_s"], incremental["full_s"]
    out["serve_to_virtuoso"] = _summary_lines([sys.executable, "scripts/bench_serve.py", "--articles",
                                               str(args.serve_articles)])
    out["export_to_rewrite"] = _summary_lines([sys.executable, "scripts/bench_export.py", "--articles",
                                               *map(str, args.export_articles), "--repeat", "1"],
                                              table_after="graph.ttl:")
    return out


def _with(args, **changes):
    import copy

    new = copy.copy(args)
    for name, value in changes.items():
        setattr(new, name, value)
    return new


def bench_workers(args) -> dict:
    folder = corpus(args.work, args.articles[0])
    rows = {}
    for n in (1, 2):
        rows[n] = run_build([folder], args.work / f"out-w{n}", "--no-cache", "--workers", str(n), "--no-validate")
    same = (args.work / "out-w1" / "graph.ttl").read_bytes() == (args.work / "out-w2" / "graph.ttl").read_bytes()
    return {"scenario": "workers", "articles": args.articles[0], "workers_1_s": rows[1]["seconds"],
            "workers_2_s": rows[2]["seconds"], "speedup": round(rows[1]["seconds"] / rows[2]["seconds"], 2),
            "graph_identical": same}


def bench_spark(args) -> dict:
    folder = corpus(args.work, args.articles[0])
    local = run_build([folder], args.work / "out-local", "--no-cache", "--no-validate")
    spark = run_build([folder], args.work / "out-spark", "--engine", "spark", "--master", "local[2]",
                      "--no-validate")
    same = (args.work / "out-local" / "graph.ttl").read_bytes() == \
        (args.work / "out-spark" / "graph.ttl").read_bytes()
    return {"scenario": "spark", "articles": args.articles[0], "local_s": local["seconds"],
            "spark_local2_s": spark["seconds"], "graph_identical": same}


def _html_test_pages() -> dict[str, tuple[str, list[str]]]:
    """The HTML pages of the tests with the body lines expected of them: NEWS_PAGE and DIV_PAGE with the
    lines tests/test_ingest.py asserts, tests/data/articles/124_page.html with its article's paragraphs."""
    import ast

    from selectolax.lexbor import LexborHTMLParser

    source = (ROOT / "tests" / "test_ingest.py").read_text(encoding="utf-8")
    pages: dict = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in ("NEWS_PAGE", "DIV_PAGE"):
            pages[node.targets[0].id] = ast.literal_eval(node.value)
        if isinstance(node, ast.FunctionDef) and node.name.startswith("test_html_") and node.name.endswith(
                ("metadata_and_caption", "json_ld")):
            for inner in ast.walk(node):
                if isinstance(inner, ast.Compare) and isinstance(inner.comparators[0], ast.List):
                    key = "NEWS_PAGE" if "caption" in node.name else "DIV_PAGE"
                    pages[key] = (pages[key], ast.literal_eval(inner.comparators[0]))
                    break
    html = (ROOT / "tests" / "data" / "articles" / "124_page.html").read_text(encoding="utf-8")
    article = LexborHTMLParser(html).css_first("article")
    body = [" ".join(p.text().split()) for p in article.css("p") if "author" not in (p.attributes.get("class") or "")]
    pages["124_page.html"] = (html, body)
    return pages


def bench_html(args) -> dict:
    """kg.ingest's main-text extraction against trafilatura's on the HTML test pages: word precision, recall, F1."""
    from collections import Counter

    try:
        import trafilatura
    except ImportError:
        raise SystemExit("the html scenario compares with trafilatura: .venv/bin/pip install trafilatura") from None
    from kg.ingest import _extract_page

    def f1(got: list[str], want: list[str]) -> dict:
        g, w = Counter(" ".join(got).split()), Counter(" ".join(want).split())
        hit = sum((g & w).values())
        p, r = hit / max(1, sum(g.values())), hit / max(1, sum(w.values()))
        return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / max(p + r, 1e-9), 3),
                "exact": got == want}

    rows = {}
    trafilatura.extract("<html><body><p>khởi động</p></body></html>")
    for name, (html, want) in _html_test_pages().items():
        started = time.perf_counter()
        page = _extract_page(html)
        ours_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        text = trafilatura.extract(html, include_comments=False, include_tables=False, deduplicate=False) or ""
        theirs_ms = (time.perf_counter() - started) * 1000
        theirs = [" ".join(line.split()) for line in text.split("\n") if line.strip()]
        theirs = [line for line in theirs if line != page.title]  # the headline is the title, not the body
        rows[name] = {"kg_ingest": f1(page.lines, want) | {"ms": round(ours_ms, 1)},
                      "trafilatura": f1(theirs, want) | {"ms": round(theirs_ms, 1)}}
    mean = {k: round(sum(r[k]["f1"] for r in rows.values()) / len(rows), 3) for k in ("kg_ingest", "trafilatura")}
    return {"scenario": "html", "trafilatura": trafilatura.__version__, "pages": rows, "mean_f1": mean}


SCENARIOS = {"html": bench_html, "ratio": bench_ratio, "memory": bench_memory, "incremental": bench_incremental,
             "workers": bench_workers, "spark": bench_spark, "startup": bench_startup, "all": bench_all}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--articles", type=int, nargs="+", default=[1000], help="corpus size(s)")
    parser.add_argument("--added", type=int, default=10, help="articles added for the incremental rebuild")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="ratio: measure on this folder of articles instead")
    parser.add_argument("--rounds", type=int, default=3,
                        help="paired rounds of ratio and startup, unchanged rebuilds of incremental (medians reported)")
    parser.add_argument("--incremental-articles", type=int, default=2000, help="all: the corpus rebuilt unchanged")
    parser.add_argument("--serve-articles", type=int, default=14000, help="all: the graph kg serve and Virtuoso answer")
    parser.add_argument("--export-articles", type=int, nargs=2, default=[3200, 12800], help="all: the two export sizes")
    parser.add_argument("--work", type=Path, default=Path(os.environ.get("TMPDIR", "/tmp")) / "vnkg-bench")
    parser.add_argument("--results", type=Path, help="append the result as one JSON line to this file")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    result = SCENARIOS[args.scenario](args)
    result["cores"] = os.cpu_count()
    text = json.dumps(result, ensure_ascii=False)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    if args.results:
        with args.results.open("a", encoding="utf-8") as handle:
            handle.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
