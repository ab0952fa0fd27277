"""The Spark engine: the same extraction, run in Spark executors, merged into the same graph.

Inputs are files or folders (local paths, or hdfs://, s3a://... URLs) of .txt, .html
and .jsonl articles. Each file is read by kg.ingest exactly as a local build reads it;
articles are spread over partitions and analysed in `mapPartitions` by a Builder loaded
once per Python worker (kept between partitions while the worker lives). Each
article's triples are written as N-Quads, one named graph per article (its IRI),
partitioned as `part-NNNNN` files ready for bulk loaders; the triples, distinct and
sorted by Spark, then go through the local merge (one value per one-valued property)
into the BuildResult a local build gives. Reports come back in input order.

Nothing here starts unless asked: pyspark and Java are needed only for this engine.
"""
from __future__ import annotations

import dataclasses
import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.errors import EngineError, InputError, MissingDependencyError

log = logging.getLogger(__name__)

_PIPELINES: dict = {}  # (base, ontology) -> Builder, one per Python worker process


def _is_url(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def spark_session(master: str | None = None, *, app: str = "vnkg build", partitions: int | None = None):
    """A SparkSession: `master` if given, spark-submit's if running under it, else local[*].

    Local masters bind to 127.0.0.1 and run without the web UI.
    """
    try:
        from pyspark import SparkConf
        from pyspark.sql import SparkSession
    except ImportError as exc:
        raise MissingDependencyError("pyspark", "kg build --engine spark") from exc
    if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
        raise EngineError("kg build --engine spark needs Java 17 or later: install a JDK (apt-get install -y "
                          "openjdk-17-jre-headless) or set JAVA_HOME")
    conf = SparkConf()
    master = master or conf.get("spark.master", None) or "local[*]"
    local = master.startswith("local")
    if local:
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = SparkSession.builder.appName(app).master(master)
    builder = builder.config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
    if partitions:
        builder = builder.config("spark.sql.shuffle.partitions", str(partitions)) \
            .config("spark.default.parallelism", str(partitions))
    if local:
        builder = builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


# --------------------------------------------------------------------------- executors

def _pipeline(base: str, ontology: str | None):
    key = (base, ontology)
    if key not in _PIPELINES:
        from kg.builder import Builder

        _PIPELINES[key] = Builder(base, ontology)
    return _PIPELINES[key]


def _read_local(index: int, path: str) -> Iterator[tuple]:
    """((file index, record index), Article or error report row) for one local file."""
    from kg.builder import input_failure
    from kg.ingest import read_articles

    for n, item in enumerate(read_articles([path])):
        if isinstance(item, InputError):
            yield (index, n), dataclasses.asdict(input_failure(item))
        else:
            yield (index, n), item


def _read_remote(index: int, url: str, data: bytes) -> Iterator[tuple]:
    """The same for a file fetched by Spark: read from a local copy under the same name, then renamed back."""
    from kg.builder import input_failure
    from kg.ingest import read_articles

    name = url.rstrip("/").rsplit("/", 1)[-1]
    with tempfile.TemporaryDirectory(prefix="vnkg-spark-") as folder:
        local = os.path.join(folder, name)
        with open(local, "wb") as handle:
            handle.write(data)
        for n, item in enumerate(read_articles([local])):
            if isinstance(item, InputError):
                item = type(item)(url, item.problem, line=item.line, hint=item.hint)
                yield (index, n), dataclasses.asdict(input_failure(item))
            else:
                yield (index, n), dataclasses.replace(item, path=url)


def _extract_partition(rows: Iterable[tuple], base: str, ontology: str | None) -> Iterator[tuple]:
    """(order key, report row, N-Triples lines) for each article of a partition."""
    builder = None
    for key, item in rows:
        if isinstance(item, dict):
            yield key, item, ()
            continue
        if builder is None:
            builder = _pipeline(base, ontology)
        output = builder.process(item)
        yield key, dataclasses.asdict(output.report), output.lines


def _quads(report: dict, lines: tuple[str, ...]) -> list[str]:
    graph = report.get("iri")
    return [f"{text[:-2]} <{graph}> ." for text in lines] if graph else []


# --------------------------------------------------------------------------- driver

def _local_files(paths: list[str]) -> list[str]:
    from kg.ingest import iter_files

    return [str(p) for p in iter_files(paths)]


def _remote_supported(url: str) -> bool:
    from kg.ingest import SUPPORTED_SUFFIXES

    name = url.rstrip("/").rsplit("/", 1)[-1]
    return not name.startswith(".") and name.lower().endswith(SUPPORTED_SUFFIXES)


def _clear_local_output(quads: str) -> None:
    target = Path(quads[len("file://"):] if quads.startswith("file://") else quads)
    if not target.exists():
        return
    if target.is_dir() and all(p.name.startswith(("part-", "_SUCCESS", ".part-", "._SUCCESS"))
                               for p in target.iterdir()):
        shutil.rmtree(target)
    else:
        raise EngineError(f"{target}: exists and is not an N-Quads output of an earlier build; "
                          "choose another --quads folder or remove it")


def build_with_spark(paths: Iterable[str | Path], *, master: str | None = None, base: str | None = None,
                     ontology: str | None = None, quads: str | None = None, work_dir: str | Path | None = None,
                     partitions: int | None = None, session=None):
    """A BuildResult like kg.builder's local build, computed on Spark; N-Quads written to `quads` if given."""
    from kg.builder import ArticleReport, BuildResult
    from kg.rdf.iri import DEFAULT_BASE
    from kg.scale.merge import resolve_sorted
    from kg.scale.reports import ReportLog

    base = base or DEFAULT_BASE
    paths = [str(p) for p in paths]
    local = _local_files([p for p in paths if not _is_url(p)])
    remote = [p for p in paths if _is_url(p)]
    if not local and not remote:
        raise EngineError(f"{', '.join(paths) or 'no path'}: no .txt, .jsonl or .html files to build from")
    own_session = session is None
    spark = session or spark_session(master, partitions=partitions)
    sc = spark.sparkContext
    slices = partitions or max(2, sc.defaultParallelism)
    work = Path(tempfile.mkdtemp(prefix="vnkg-spark-build-", dir=work_dir))
    try:
        rdds = []
        if local:
            rdds.append(sc.parallelize(list(enumerate(local)), min(slices, len(local)))
                        .flatMap(lambda pair: _read_local(*pair)))
        if remote:
            offset = len(local)
            files = sc.binaryFiles(",".join(remote)).filter(lambda kv: _remote_supported(kv[0]))
            names = sorted(files.keys().collect())
            order = {name: offset + i for i, name in enumerate(names)}
            rdds.append(files.flatMap(lambda kv: _read_remote(order[kv[0]], kv[0], kv[1])))
        articles = rdds[0] if len(rdds) == 1 else sc.union(rdds)
        if remote or any(p.lower().endswith((".jsonl", ".ndjson")) for p in local):
            articles = articles.repartition(slices)  # a JSONL file holds many articles: spread them
        from pyspark import StorageLevel

        results = articles.mapPartitions(lambda rows: _extract_partition(rows, base, ontology)) \
            .persist(StorageLevel.MEMORY_AND_DISK)
        if quads:
            if not _is_url(quads):
                _clear_local_output(quads)
            results.flatMap(lambda r: _quads(r[1], r[2])).saveAsTextFile(quads)
        reports = ReportLog(ArticleReport.from_dict, str(work))
        for _, row in results.map(lambda r: (r[0], r[1])).sortByKey(numPartitions=slices).toLocalIterator():
            reports.append(row)
        lines = results.flatMap(lambda r: r[2]).distinct(slices).sortBy(lambda text: text, numPartitions=slices)
        merged = work / "graph.nt"
        count = 0
        with merged.open("w", encoding="utf-8", newline="\n") as out:
            for text in resolve_sorted(lines.toLocalIterator()):
                out.write(text)
                out.write("\n")
                count += 1
        results.unpersist()
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if own_session:
            spark.stop()
    return BuildResult(None, reports, merged=merged, triples=count, base=base, work_dir=work)
