"""The Spark engine: the same extraction, run in Spark executors, merged into the same graph.

Inputs are files or folders (local paths, or hdfs://, s3a://... URLs) of .txt, .html
and .jsonl articles. Each file is read by kg.ingest exactly as a local build reads it;
articles are spread over partitions and analysed in `mapPartitions` by the per-article
step the engine is given (a StepFactory, made once per Python worker and kept between
partitions while the worker lives). A text met in several inputs is analysed once, as
in a local build: the others add their file name to its article. Each
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

_STEPS: dict = {}  # StepFactory -> its step, one per Python worker process


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

def _step(make_step):
    if make_step not in _STEPS:
        _STEPS[make_step] = make_step()
    return _STEPS[make_step]


def _read_local(index: int, path: str) -> Iterator[tuple]:
    """((file index, record index), Article or error report row) for one local file."""
    from kg.ingest import read_articles
    from kg.report import input_failure

    for n, item in enumerate(read_articles([path])):
        if isinstance(item, InputError):
            yield (index, n), dataclasses.asdict(input_failure(item))
        else:
            yield (index, n), item


def _read_remote(index: int, url: str, data: bytes) -> Iterator[tuple]:
    """The same for a file fetched by Spark: read from a local copy under the same name, then renamed back."""
    from kg.ingest import read_articles
    from kg.report import input_failure

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


def _extract_partition(rows: Iterable[tuple], make_step, firsts: dict) -> Iterator[tuple]:
    """(order key, report row, N-Triples lines) for each article of a partition.

    `firsts`: text digest -> (order key, where) of the first input holding a text that
    several inputs hold."""
    from kg.step import same_text_output

    step = None
    for key, item in rows:
        if isinstance(item, dict):
            yield key, item, ()
            continue
        first = firsts.get(item.digest[:32])
        if first is not None and tuple(first[0]) != tuple(key):
            output = same_text_output(item, first[1], make_step.base)
        else:
            if step is None:
                step = _step(make_step)
            output = step.process(item)
        yield key, dataclasses.asdict(output.report), output.lines


def _first_of_each_text(articles) -> dict:
    """digest -> (order key, where) of the first input, for the texts that more than one input holds."""
    def earlier(a, b):
        first = a if tuple(a[0]) <= tuple(b[0]) else b
        return first[0], first[1], a[2] + b[2]

    return (articles.filter(lambda kv: not isinstance(kv[1], dict))
            .map(lambda kv: (kv[1].digest[:32], (kv[0], kv[1].where, 1)))
            .reduceByKey(earlier)
            .filter(lambda kv: kv[1][2] > 1)
            .mapValues(lambda v: (v[0], v[1]))
            .collectAsMap())


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


def build_with_spark(paths: Iterable[str | Path], make_step, *, master: str | None = None,
                     quads: str | None = None, work_dir: str | Path | None = None, partitions: int | None = None,
                     session=None):
    """A BuildResult like the local engine's, computed on Spark with the step `make_step` (a StepFactory);
    N-Quads written to `quads` if given."""
    from kg.report import ArticleReport, BuildResult, GraphCounter
    from kg.scale.merge import resolve_sorted
    from kg.scale.reports import ReportLog

    base = make_step.base
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

        articles = articles.persist(StorageLevel.MEMORY_AND_DISK)
        firsts = sc.broadcast(_first_of_each_text(articles))
        results = articles.mapPartitions(lambda rows: _extract_partition(rows, make_step, firsts.value)) \
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
        counter = GraphCounter()
        with merged.open("w", encoding="utf-8", newline="\n") as out:
            for text in resolve_sorted(lines.toLocalIterator()):
                out.write(text)
                out.write("\n")
                counter.add(text)
                count += 1
        results.unpersist()
        articles.unpersist()
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        if own_session:
            spark.stop()
    return BuildResult(None, reports, merged=merged, triples=count, base=base, work_dir=work,
                       graph_counts=counter.as_dict())
