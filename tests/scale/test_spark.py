"""The Spark engine (local[2], no UI, loopback only) gives the local build's graph, and per-article N-Quads."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(not (os.environ.get("JAVA_HOME") or shutil.which("java")),
                                reason="Spark needs Java (scripts/install-system-deps.sh installs it)")


@pytest.fixture(scope="module")
def local_build(samples_with_a_copy, tmp_path_factory):
    """The local build of the samples, in a child process with the hash seed PySpark gives its workers (0),
    so that this test is about the engine, not about any dependence of the rules on set order."""
    out = tmp_path_factory.mktemp("local")
    subprocess.run([sys.executable, "-m", "kg.cli", "build", str(samples_with_a_copy), "--out", str(out),
                    "--no-html", "--no-validate", "--no-progress", "--no-cache"],
                   check=True, capture_output=True, cwd=ROOT, env={**os.environ, "PYTHONHASHSEED": "0"},
                   timeout=120)
    return out


@pytest.fixture(scope="module")
def spark_build(samples_with_a_copy, tmp_path_factory):
    from kg.builder import build_corpus, write_outputs

    out = tmp_path_factory.mktemp("spark")
    result = build_corpus([samples_with_a_copy], engine="spark", master="local[2]", quads=str(out / "quads"))
    write_outputs(result, out)
    return result, out


def test_spark_build_gives_the_local_graph(local_build, spark_build):
    import rdflib

    result, out = spark_build
    local = rdflib.Graph().parse(local_build / "graph.ttl")
    spark = rdflib.Graph().parse(out / "graph.ttl")
    assert set(spark) == set(local)
    assert (out / "graph.ttl").read_bytes() == (local_build / "graph.ttl").read_bytes()
    ours = json.loads((out / "report.json").read_text("utf-8"))["articles"]
    assert ours == json.loads((local_build / "report.json").read_text("utf-8"))["articles"]
    assert [a.get("same_text_as", "").rsplit("/", 1)[-1] for a in ours][-1] == "000_2b5c8a3f05ad2a4b.txt"


def test_spark_writes_one_named_graph_per_article(spark_build):
    import pyoxigraph

    result, out = spark_build
    parts = sorted((out / "quads").glob("part-*"))
    assert parts and (out / "quads" / "_SUCCESS").exists()
    quads = [q for part in parts for q in pyoxigraph.parse(path=str(part), format=pyoxigraph.RdfFormat.N_QUADS)]
    graphs = {q.graph_name.value for q in quads}
    assert graphs == {a.iri for a in result.articles}
    assert len(graphs) == 5  # the copy is the same article
    triples = {(q.subject, q.predicate, q.object) for q in quads}
    merged = {(q.subject, q.predicate, q.object) for q in pyoxigraph.parse(path=str(out / "graph.ttl"))}
    assert merged <= triples  # the merge only removes duplicates and conflicting one-valued values


def test_spark_script_says_when_there_is_nothing_to_build(tmp_path):
    (tmp_path / "empty").mkdir()
    proc = subprocess.run([sys.executable, "scripts/spark_build.py", str(tmp_path / "empty"), "--out",
                           str(tmp_path / "out"), "--master", "local[1]"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 2
    assert "no .txt, .jsonl or .html files to build from" in proc.stderr
    assert not (tmp_path / "out").exists()
