"""The whole job: files -> articles -> analysed -> one merged RDF graph, checked, and its report.

`build_corpus` is what `kg build` runs: it hands the per-article step (kg.step) to an
engine (kg.scale.local here or in worker processes, kg.scale.spark on a cluster), runs
the SHACL check on the merged result, and gives back a BuildResult (kg.report) from
which kg.outputs writes every output. `build_graph` and `extract` are the same work for
Python users. A batch never dies on one bad article: it is reported (file, reason) and
the rest is built.

The names of the pieces are re-exported here (Builder, BuildResult, write_outputs...),
so code written against this module keeps working.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import time
from collections.abc import Iterable
from pathlib import Path

from kg.article import Article, digest_of
from kg.errors import ArgumentError, NothingBuiltError
from kg.outputs import atomic_write, atomic_writer, write_outputs
from kg.report import (
    DEFAULT_BASE,
    ArticleOutput,
    ArticleReport,
    BuildResult,
    analysis_failure,
    input_failure,
)
from kg.scale.progress import Progress
from kg.step import TIME_LIMIT, Builder, StepFactory

__all__ = [
    "ArticleOutput", "ArticleReport", "BuildResult", "Builder", "StepFactory", "VALIDATE_LIMIT",
    "analysis_failure", "as_date", "atomic_write", "atomic_writer", "build_corpus", "build_graph", "extract",
    "input_failure", "write_outputs",
]

log = logging.getLogger(__name__)

VALIDATE_LIMIT = 250_000
"""Above this many triples SHACL validation (minutes, and the graph in memory) runs only when asked for."""


def build_corpus(paths: Iterable[str | os.PathLike], *, base: str = DEFAULT_BASE, progress: bool | Progress = False,
                 validate: bool | None = False, ontology: str | None = None, workers: int = 1,
                 cache_dir: str | Path | None = None, work_dir: str | Path | None = None,
                 engine: str = "local", master: str | None = None, quads: str | None = None,
                 partitions: int | None = None, validate_limit: int = VALIDATE_LIMIT,
                 time_limit: float = TIME_LIMIT) -> BuildResult:
    """Read, clean, analyse and merge every article under `paths`, then check the result.

    `validate`: True always runs SHACL, False never, None runs it when the graph has at
    most `validate_limit` triples (with a note in the result when it does not).
    `workers` > 1 analyses in that many processes; `cache_dir` reuses (and stores) what
    articles gave before, and the last build's merged graph; `engine="spark"` runs the
    analysis on Spark (`master`, `partitions`, and `quads`: where the per-article N-Quads
    go). `work_dir` holds the work files (default: a new temporary folder). One article
    may take at most `time_limit` seconds (0: no limit).
    """
    started = time.perf_counter()
    show = progress if isinstance(progress, Progress) else Progress(bool(progress))
    step = StepFactory(base, ontology, time_limit)
    if engine == "spark":
        from kg.scale.spark import build_with_spark

        result = build_with_spark(paths, step, master=master, quads=quads, work_dir=work_dir, partitions=partitions)
    elif engine == "local":
        from kg.scale.local import build_locally

        result = build_locally(paths, step, workers=workers, cache_dir=cache_dir, work_dir=work_dir, progress=show)
    else:
        raise ArgumentError(f"unknown engine {engine!r}: 'local' or 'spark'")
    try:
        _validate(result, validate, validate_limit, show)
    except BaseException:
        result.close()
        raise
    result.seconds = time.perf_counter() - started
    return result


def _validate(result: BuildResult, validate: bool | None, limit: int, progress: Progress) -> None:
    if validate is False or not result.triples:
        result.validated = False
        return
    if validate is None and result.triples > limit:
        result.validated = False
        result.notes.append(f"SHACL validation skipped: {result.triples:,} triples is over the {limit:,}-triple "
                            "limit for automatic validation (pass --validate to run it)")
        return
    last = result.last_build
    if last is not None and last.validated and result.merged_digest == last.validated.get("digest"):
        result.violations = list(last.validated.get("violations") or [])  # the same graph, checked before
        result.validated = True
        return
    from kg.rdf.validate import validate as shacl

    with progress.stage(f"checking {result.triples:,} triples against the SHACL shapes"):
        result.violations = shacl(result.graph)
    result.validated = True


def save_state(result: BuildResult, out: str | os.PathLike | None, written: dict, cache_dir) -> None:
    """Remember this build (beside the cache) so that the next one into `out` does only what changed."""
    import dataclasses

    from kg.scale import state

    if cache_dir is None or result.state_keys is None or result.merged is None or result.merged_digest is None:
        return
    validated = {"digest": result.merged_digest,
                 "violations": [dataclasses.asdict(v) if dataclasses.is_dataclass(v) else dict(v)
                                for v in result.violations]} if result.validated else None
    if validated is None and result.last_build is not None and result.last_build.digest == result.merged_digest:
        validated = result.last_build.validated  # not checked this time: the earlier check still holds
    try:
        state.save(cache_dir, version=result.pipeline, base=result.base, keys=result.state_keys,
                   merged=result.merged, digest=result.merged_digest, triples=result.triples,
                   graph_counts=result.graph_counts, validated=validated,
                   out=Path(out) if out is not None else None, written=written)
    except OSError as exc:  # the outputs are written; only the next build's shortcut is lost
        log.warning("%s: the record of this build could not be kept (%s); the next build will merge everything",
                    cache_dir, exc.strerror or exc)


# --------------------------------------------------------------------------- Python API


@functools.cache
def graph_with_report_class():
    """rdflib.Graph with a `.report`: what kg.build returns (made on first use: rdflib is imported then)."""
    from rdflib import Graph

    class BuiltGraph(Graph):
        """The merged rdflib.Graph of a build, with the build's report as `.report` (a BuildResult:
        `.articles`, `.ok`, `.failed`, `.totals()`, `.violations`, `.notes`)."""

        report: BuildResult

    return BuiltGraph


def build_graph(paths, *, base: str = DEFAULT_BASE, validate: bool | None = False, workers: int = 1,
                time_limit: float = TIME_LIMIT):
    """The merged graph of every article under `paths` (files or folders): an rdflib.Graph whose
    `.report` is the build's report. Raises NothingBuiltError, naming every input and its problem,
    when no article could be built."""
    from kg.rdf.namespaces import bind_prefixes

    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    paths = list(paths)
    if not paths:
        raise ArgumentError("kg.build: no input given; give a file or folder of articles, or a list of them")
    result = build_corpus(paths, base=base, validate=validate, workers=workers, time_limit=time_limit)
    try:
        graph = graph_with_report_class()()
        bind_prefixes(graph, base)
        if result.merged is not None and result.counts()[0]:
            graph.parse(result.merged, format="nt")
        result._graph = graph
    finally:
        result.detach()
    if not result.ok:
        shown = [a.error or f"{a.where}: could not be built" for a in result.failed[:10]]
        more = f"; and {len(result.failed) - 10} more" if len(result.failed) > 10 else ""
        found = "; ".join(shown) + more if shown else f"no article found in {', '.join(map(str, paths))}"
        raise NothingBuiltError("no article could be built: " + found)
    graph.report = result
    return graph


def as_date(value, what: str = "date") -> dt.date | None:
    """A date from a datetime.date, a datetime, 'YYYY-MM-DD' (or an ISO datetime) or the Vietnamese 'dd/mm/yyyy'."""
    from kg.ingest import parse_date

    if value is None or isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        parsed = parse_date(value)
        if parsed is not None:
            return parsed
        raise ArgumentError(f"{what} {value!r} is not a date vnkg understands: give a datetime.date, a datetime, "
                            "'YYYY-MM-DD' or 'dd/mm/yyyy' (a real day)")
    raise ArgumentError(f"{what} must be a datetime.date, a datetime or a string such as '2025-04-20' or "
                        f"'20/04/2025', not {type(value).__name__}")


def extract(text: str, date=None, *, title: str | None = None, source_file: str = "text.txt",
            base: str = DEFAULT_BASE):
    """The graph of one article given as a string; `date` as a date, a datetime, 'YYYY-MM-DD' or 'dd/mm/yyyy'."""
    if not isinstance(text, str):
        raise ArgumentError(f"kg.extract: the text must be a string, not {type(text).__name__}")
    if not text.strip():
        raise ArgumentError("kg.extract: the text is empty")
    article = Article(source_file=source_file, path=source_file, text=text, title=title, date=as_date(date),
                      digest=digest_of(text))
    builder = Builder(base)
    builder.add(article)
    return builder.finish()
