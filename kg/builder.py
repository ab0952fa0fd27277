"""The whole job: files -> articles -> cleaned -> analysed -> one merged RDF graph, and its report.

`build_corpus` is what `kg build` runs; `build_graph` and `extract` are the same work
for Python users. A batch never dies on one bad article: it is reported (file,
reason) and the rest is built. Outputs are written to a temporary name and renamed.

A build streams: each article is read, analysed (here, in worker processes, or on
Spark) and its triples appended as N-Triples lines to a spool file; its report goes to
a report log on disk. The spool is then merged on disk (kg.scale.merge: sorted,
deduplicated, one value per one-valued property) and graph.ttl is written from the
merged lines by Oxigraph, so memory stays flat whatever the corpus size and the bytes
do not depend on the order articles were processed in. With a cache folder, an article
analysed before by the same pipeline version is taken from the cache instead.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import shutil
import sys
import tempfile
import time
import weakref
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.article import Article, digest_of
from kg.clean import clean
from kg.errors import InputError, NothingBuiltError
from kg.rdf.build import ArticleGraph, headline
from kg.rdf.iri import DEFAULT_BASE
from kg.rdf.merge import resolve_conflicts
from kg.rdf.namespaces import bind_prefixes

log = logging.getLogger(__name__)

VALIDATE_LIMIT = 250_000
"""Above this many triples SHACL validation (minutes, and the graph in memory) runs only when asked for."""


@dataclass
class ArticleReport:
    source_file: str
    path: str
    status: str  # ok | error
    line: int | None = None
    title: str | None = None
    date: str | None = None
    iri: str | None = None
    entities: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None

    @classmethod
    def from_dict(cls, row: dict) -> ArticleReport:
        return cls(**row)


@dataclass
class ArticleOutput:
    """What one article gives: its report and its triples as sorted N-Triples lines."""

    report: ArticleReport
    lines: tuple[str, ...] = ()


class BuildResult:
    """The merged graph of a build, the per-article reports, SHACL violations and notes.

    `graph` is an rdflib Graph; for a streamed build it is parsed from the merged
    N-Triples on first use, so a large build that only writes its outputs never holds it.
    """

    def __init__(self, graph: Graph | None = None, articles: Sequence[ArticleReport] = (), seconds: float = 0.0,
                 violations: list | None = None, *, merged: Path | None = None, triples: int | None = None,
                 base: str = DEFAULT_BASE, reused: int = 0, notes: list[str] | None = None,
                 validated: bool | None = None, work_dir: Path | None = None):
        self._graph = graph
        self.articles = articles if isinstance(articles, Sequence) else list(articles)
        self.seconds = seconds
        self.violations = violations if violations is not None else []
        self.merged = merged
        self._triples = triples
        self.base = base
        self.reused = reused
        self.notes = notes if notes is not None else []
        self.validated = validated
        self._cleanup = weakref.finalize(self, _remove_dir, work_dir) if work_dir else None

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            graph = Graph()
            bind_prefixes(graph, self.base)
            if self.merged is not None:
                if not self.merged.exists():
                    raise ValueError("this build's work files were removed by close(): take .graph before")
                graph.parse(self.merged, format="nt")
            self._graph = graph
        return self._graph

    @property
    def triples(self) -> int:
        if self._triples is None:
            self._triples = len(self.graph)
        return self._triples

    def lines(self) -> Iterator[str]:
        """The merged graph as sorted N-Triples lines."""
        if self.merged is not None:
            from kg.scale.turtle import iter_file_lines

            return iter_file_lines(self.merged)
        from kg.scale.merge import graph_lines

        return iter(graph_lines(self.graph))

    @property
    def ok(self) -> list[ArticleReport]:
        return [a for a in self.articles if a.status == "ok"]

    @property
    def failed(self) -> list[ArticleReport]:
        return [a for a in self.articles if a.status != "ok"]

    def counts(self) -> tuple[int, int]:
        """(articles built, articles failed), without loading the reports when the log kept count."""
        if hasattr(self.articles, "ok") and isinstance(self.articles.ok, int):
            return self.articles.ok, self.articles.failed
        ok = sum(1 for a in self.articles if a.status == "ok")
        return ok, len(self.articles) - ok

    def totals(self) -> dict:
        entities, facts = Counter(), Counter()
        ok = failed = 0
        for a in self.articles:
            if a.status != "ok":
                failed += 1
                continue
            ok += 1
            entities.update(a.entities)
            facts.update(a.facts)
        return {"articles": ok, "failed": failed, "reused": self.reused, "triples": self.triples,
                "entities": dict(sorted(entities.items())), "facts": dict(sorted(facts.items())),
                "shacl_violations": len(self.violations), "seconds": round(self.seconds, 2)}

    def close(self) -> None:
        """Remove the work files now rather than when the result is garbage-collected."""
        if self._cleanup is not None:
            self._cleanup()


def _remove_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


class Builder:
    """Holds the loaded pipeline; feed it articles, then take the graph."""

    def __init__(self, base: str = DEFAULT_BASE, ontology: str | None = None):
        from kg.nlp.pipeline import gazetteers_of, make_nlp

        self.base = base
        self.nlp = make_nlp(ontology)
        self.gazetteers = gazetteers_of(self.nlp)
        self.graph = Graph()
        bind_prefixes(self.graph, base)
        self.writer = ArticleGraph(self.graph, base, gazetteers=self.gazetteers)

    def add(self, article: Article) -> ArticleReport:
        """Analyse one article into this builder's graph (raises if the analysis fails)."""
        return self._analyse(article, self.writer)

    def process(self, article: Article) -> ArticleOutput:
        """One article's report and triples, on their own; never raises (a failure is an error report)."""
        from kg.scale.ntriples import TripleSink

        sink = TripleSink()
        try:
            report = self._analyse(article, ArticleGraph(sink, self.base, gazetteers=self.gazetteers))
        except Exception as exc:  # one broken article must not stop the batch
            log.exception("%s: could not be analysed", article.where)
            return ArticleOutput(analysis_failure(article, exc))
        return ArticleOutput(report, sink.lines() if report.status == "ok" else ())

    def _analyse(self, article: Article, writer: ArticleGraph) -> ArticleReport:
        from kg.nlp.pipeline import analyse, post_mentions

        article = clean(article)
        report = ArticleReport(article.source_file, article.path, "ok", line=article.line,
                               title=headline(article), date=article.date.isoformat() if article.date else None,
                               warnings=list(article.warnings),
                               dropped=[{"reason": d.reason, "text": d.text} for d in article.dropped])
        if not article.text.strip():
            report.status, report.error, report.error_kind = "error", "no text left after cleaning", "EmptyInputError"
            return report
        doc = analyse(self.nlp, article)
        report.iri = str(writer.add(article, doc))
        report.entities = dict(sorted(Counter(kind for kind, _ in doc._.entities).items()))
        facts = Counter(f.kind for f in doc._.relations or [])
        positions = len(post_mentions(doc))
        if positions:
            facts["position"] = positions
        report.facts = dict(sorted(facts.items()))
        return report

    def finish(self) -> Graph:
        resolve_conflicts(self.graph)
        return self.graph


def analysis_failure(article: Article, exc: BaseException) -> ArticleReport:
    """The report of an article whose analysis raised."""
    return ArticleReport(article.source_file, article.path, "error", line=article.line,
                         error=f"{article.where}: could not be analysed ({type(exc).__name__}: {exc})",
                         error_kind=type(exc).__name__)


def input_failure(error: InputError) -> ArticleReport:
    """The report of a file or record that could not be read."""
    return ArticleReport(Path(error.path).name, error.path, "error", line=error.line, error=str(error),
                         error_kind=error.kind)


@dataclass
class _Job:
    """One input in order: an article still to analyse, or an output already known (cache hit, input error)."""

    article: Article | None
    result: ArticleOutput | None = None
    key: str | None = None
    reused: bool = False

    @property
    def ready(self) -> bool:
        return self.result is not None


class _LocalPipeline:
    """A Builder made on first use, so a build served wholly from the cache loads no model."""

    def __init__(self, base: str, ontology: str | None):
        self.base, self.ontology = base, ontology
        self._builder: Builder | None = None

    def process(self, article: Article) -> ArticleOutput:
        if self._builder is None:
            self._builder = Builder(self.base, self.ontology)
        return self._builder.process(article)


def _jobs(items: Iterable[Article | InputError], cache, base: str) -> Iterator[_Job]:
    from kg.scale.cache import article_key

    for item in items:
        if isinstance(item, InputError):
            log.warning("%s", item)
            yield _Job(None, ArticleOutput(input_failure(item)))
            continue
        if cache is None:
            yield _Job(item)
            continue
        key = article_key(item, base)
        hit = cache.get(key)
        if hit is None:
            yield _Job(item, key=key)
            continue
        report = ArticleReport.from_dict(hit.report)
        report.path = item.path  # the same article may have moved
        yield _Job(item, ArticleOutput(report, hit.lines), key=key, reused=True)


def build_corpus(paths: Iterable[str | Path], *, base: str = DEFAULT_BASE, progress: bool = False,
                 validate: bool | None = False, ontology: str | None = None, workers: int = 1,
                 cache_dir: str | Path | None = None, work_dir: str | Path | None = None,
                 engine: str = "local", master: str | None = None, quads: str | None = None,
                 partitions: int | None = None, validate_limit: int = VALIDATE_LIMIT) -> BuildResult:
    """Read, clean, analyse and merge every article under `paths`.

    `validate`: True always runs SHACL, False never, None runs it when the graph has at
    most `validate_limit` triples (with a note in the result when it does not).
    `workers` > 1 analyses in that many processes; `cache_dir` reuses (and stores) what
    articles gave before; `engine="spark"` runs the analysis on Spark (`master`,
    `partitions`, and `quads`: where the per-article N-Quads go).
    """
    started = time.perf_counter()
    if engine == "spark":
        from kg.scale.spark import build_with_spark

        result = build_with_spark(paths, master=master, base=base, ontology=ontology, quads=quads,
                                  work_dir=work_dir, partitions=partitions)
    elif engine == "local":
        result = _build_local(paths, base=base, progress=progress, ontology=ontology, workers=workers,
                              cache_dir=cache_dir, work_dir=work_dir)
    else:
        raise ValueError(f"unknown engine {engine!r}: 'local' or 'spark'")
    _validate(result, validate, validate_limit)
    result.seconds = time.perf_counter() - started
    return result


def _build_local(paths, *, base, progress, ontology, workers, cache_dir, work_dir) -> BuildResult:
    from kg.ingest import read_articles
    from kg.scale.cache import ArticleCache, pipeline_version
    from kg.scale.merge import TripleSpool, merge_spool
    from kg.scale.parallel import run_ordered
    from kg.scale.reports import ReportLog

    work = Path(tempfile.mkdtemp(prefix="vnkg-build-", dir=work_dir))
    try:
        cache = ArticleCache(cache_dir, pipeline_version(ontology)) if cache_dir is not None else None
        reports = ReportLog(ArticleReport.from_dict, str(work))
        spool = TripleSpool(work)
        reused = 0
        try:
            outputs = run_ordered(_jobs(read_articles(paths), cache, base), _LocalPipeline(base, ontology).process,
                                  workers=workers, base=base, ontology=ontology)
            if progress:
                from tqdm import tqdm

                outputs = tqdm(outputs, desc="articles", unit="art", file=sys.stderr, leave=False)
            for job, output in outputs:
                reports.append(output.report)
                spool.extend(output.lines)
                if job.reused:
                    reused += 1
                elif cache is not None and job.key is not None and output.report.status == "ok":
                    cache.put(job.key, dataclasses.asdict(output.report), output.lines)
        finally:
            if cache is not None:
                cache.close()
        merged = work / "graph.nt"
        count = merge_spool(spool, merged)
    except BaseException:
        _remove_dir(work)
        raise
    log.info("%d article(s), %d reused from the cache, %d triples merged", len(reports), reused, count)
    return BuildResult(None, reports, merged=merged, triples=count, base=base, reused=reused,
                       work_dir=work)


def _validate(result: BuildResult, validate: bool | None, limit: int) -> None:
    if validate is False or not result.triples:
        result.validated = False
        return
    if validate is None and result.triples > limit:
        result.validated = False
        result.notes.append(f"SHACL validation skipped: {result.triples:,} triples is over the {limit:,}-triple "
                            "limit for automatic validation (pass --validate to run it)")
        return
    from kg.rdf.validate import validate as shacl

    result.violations = shacl(result.graph)
    result.validated = True


# --------------------------------------------------------------------------- outputs

def write_outputs(result: BuildResult, out_dir: str | Path) -> dict[str, Path]:
    """graph.ttl and report.json in `out_dir`, each written to a temporary file and renamed."""
    from kg.scale.turtle import write_turtle

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    with atomic_writer(out / "graph.ttl") as handle:
        write_turtle(result.lines(), handle, base=result.base)
    written["graph"] = out / "graph.ttl"
    with atomic_writer(out / "report.json") as handle:
        _write_report(result, handle)
    written["report"] = out / "report.json"
    return written


def _write_report(result: BuildResult, handle) -> None:
    """report.json as json.dumps(..., indent=1) would write it, one article at a time."""
    def put(text: str) -> None:
        handle.write(text.encode("utf-8"))

    def dumped(value, depth: int) -> str:
        return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)

    # no timings in the file: the same input gives the same report, so its diffs mean something
    totals = {k: v for k, v in result.totals().items() if k != "seconds"}
    put('{\n "totals": ' + dumped(totals, 1) + ',\n "articles": [')
    first = True
    for article in result.articles:
        put(("\n  " if first else ",\n  ") + dumped(_clean_report(dataclasses.asdict(article)), 2))
        first = False
    put("]" if first else "\n ]")
    if result.notes:
        put(',\n "notes": ' + dumped(result.notes, 1))
    if result.validated is not None:
        put(',\n "shacl_validated": ' + json.dumps(result.validated))
    put(',\n "shacl_violations": ' + dumped([dataclasses.asdict(v) for v in result.violations], 1) + "\n}\n")


def _clean_report(row: dict) -> dict:
    return {k: v for k, v in row.items() if v not in (None, [], {})}


@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator:
    """A binary file handle for `path` under a temporary name, renamed on success: never a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, content: str | bytes) -> Path:
    """Write next to `path` under a temporary name, then rename: never a half-written file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_writer(path) as handle:
        handle.write(data)
    return path


def build_graph(paths: Iterable[str | Path], *, base: str = DEFAULT_BASE) -> Graph:
    """The merged graph of every article under `paths` (notebook entry point)."""
    result = build_corpus(paths, base=base)
    if not result.ok:
        raise NothingBuiltError("no article could be built: " + "; ".join(a.error or "" for a in result.failed[:5]))
    return result.graph


def extract(text: str, date: dt.date | str | None = None, *, title: str | None = None,
            source_file: str = "text.txt", base: str = DEFAULT_BASE) -> Graph:
    """The graph of one article given as a string (`date` as a date or 'YYYY-MM-DD')."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    article = Article(source_file=source_file, path=source_file, text=text, title=title, date=date,
                      digest=digest_of(text))
    builder = Builder(base)
    builder.add(article)
    return builder.finish()
