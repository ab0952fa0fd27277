"""The local engine: inputs read in order, analysed here or in worker processes, merged on disk.

Each input becomes a job: an article to analyse with the per-article step (made by the
StepFactory it is given, in this process or in each worker), or an output already known
(an input error, an article from the cache, a text read before from another file).
Outputs come back in input order; reports go to a report log and triples to a spool
file, which is then merged on disk (kg.scale.merge).

With a cache folder, the last build's merged graph is kept there too (kg.scale.state):
articles it already holds are not spooled again, and only new triples are merged into
it. A text met a second time (the same text in two files) is not analysed again: its
file name is added to the one article node.
"""
from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.article import Article
from kg.errors import InputError
from kg.report import ArticleOutput, ArticleReport, BuildResult, GraphCounter, as_row, input_failure
from kg.scale.progress import Progress
from kg.step import StepFactory, same_text_output

log = logging.getLogger(__name__)


@dataclass
class Job:
    """One input in order: an article still to analyse, or an output already known."""

    article: Article | None
    result: ArticleOutput | None = None
    key: str | None = None  # the cache key
    reused: bool = False
    known: bool = False  # its triples are in the last build's merged graph: not spooled again

    @property
    def ready(self) -> bool:
        return self.result is not None

    @property
    def state_key(self) -> str | None:
        if self.key is None:
            return None
        return ("same:" if self.result is not None and self.result.report.same_text_as else "") + self.key


def _jobs(items: Iterable[Article | InputError], cache, base: str, known_keys: frozenset[str]) -> Iterator[Job]:
    from kg.scale.cache import article_key

    first_of: dict[str, str] = {}  # text digest -> where it was read first
    for item in items:
        if isinstance(item, InputError):
            log.debug("%s", item)
            yield Job(None, ArticleOutput(input_failure(item)))
            continue
        key = article_key(item, base) if cache is not None else None
        first = first_of.setdefault(item.digest[:32], item.where)
        if first != item.where:
            job = Job(item, same_text_output(item, first, base), key=key)
            job.known = job.state_key in known_keys
            yield job
            continue
        if cache is None:
            yield Job(item)
            continue
        known = key in known_keys
        hit = cache.get(key, lines=not known)
        if hit is None:
            yield Job(item, key=key)
            continue
        report = ArticleReport.from_dict(hit.report)
        report.path = item.path  # the same article may have moved
        yield Job(item, ArticleOutput(report, hit.lines), key=key, reused=True, known=known)


def build_locally(paths: Iterable[str | Path], make_step: StepFactory, *, workers: int = 1,
                  cache_dir: str | Path | None = None, work_dir: str | Path | None = None,
                  progress: Progress | None = None) -> BuildResult:
    """Read, analyse and merge every article under `paths` on this machine."""
    from kg.ingest import count_articles, read_articles
    from kg.scale.cache import ArticleCache, pipeline_version
    from kg.scale.merge import TripleSpool, merge_spool
    from kg.scale.parallel import run_ordered
    from kg.scale.reports import ReportLog
    from kg.scale.state import LastBuild

    paths = list(paths)
    progress = progress or Progress(False)
    base = make_step.base
    work = Path(tempfile.mkdtemp(prefix="local-", dir=work_dir))
    try:
        version = pipeline_version(make_step.ontology) if cache_dir is not None else None
        cache = ArticleCache(cache_dir, version) if cache_dir is not None else None
        last = LastBuild.load(cache_dir, version, base) if cache_dir is not None else None
        reports = ReportLog(ArticleReport.from_dict, str(work))
        spool = TripleSpool(work)
        reused = 0
        keys: set[str] = set()
        known: list[tuple[str, tuple[str, ...]]] = []  # triples left out of the spool: (cache key, or lines)
        try:
            jobs = _jobs(read_articles(paths), cache, base, last.keys if last else frozenset())
            outputs = run_ordered(jobs, make_step, workers=workers)
            for job, output in progress.articles(outputs, count=lambda: count_articles(paths)):
                reports.append(output.report)
                if job.state_key and (output.lines or job.known):
                    keys.add(job.state_key)
                if job.known:
                    known.append((job.key, output.lines))
                else:
                    spool.extend(output.lines)
                if job.reused:
                    reused += 1
                elif cache is not None and job.key is not None and output.report.status == "ok" \
                        and not output.report.same_text_as:
                    cache.put(job.key, as_row(output.report), output.lines)
            gone = last is not None and not last.keys <= keys
            if known and (last is None or gone):  # a full merge: the triples the last build held are needed too
                for key, lines in known:
                    spool.extend(lines or cache.get(key).lines)
        finally:
            if cache is not None:
                cache.close()
        if last is not None and not gone and spool.lines == 0:  # the last build's graph is this one
            spool.close()
            result = BuildResult(None, reports, merged=last.merged, triples=last.triples, base=base, reused=reused,
                                 work_dir=work, graph_counts=last.graph_counts)
            result.merged_digest = last.digest
        else:
            merged = work / "graph.nt"
            counter, digest = GraphCounter(), hashlib.sha256()

            def sink(lines: list[str]) -> None:
                for text in lines:
                    counter.add(text)
                digest.update(("\n".join(lines) + "\n").encode("utf-8"))

            previous = last.merged if last is not None and not gone else None
            with progress.stage("merging " + ("the new triples into the last build's graph" if previous
                                              else f"{spool.lines:,} triples")):
                count = merge_spool(spool, merged, previous=previous, sink=sink)
            result = BuildResult(None, reports, merged=merged, triples=count, base=base, reused=reused,
                                 work_dir=work, graph_counts=counter.as_dict())
            result.merged_digest = digest.hexdigest()
    except BaseException:
        _remove(work)
        raise
    result.last_build = last
    result.state_keys = keys if cache_dir is not None else None
    result.pipeline = version
    result.unchanged = last is not None and result.merged_digest == last.digest
    log.info("%d input(s), %d reused from the cache, %d triples merged", len(reports), reused, result.triples)
    return result


def _remove(path: Path) -> None:
    import shutil

    shutil.rmtree(path, ignore_errors=True)
