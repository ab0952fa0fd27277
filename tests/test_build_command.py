"""`kg build` end to end as a user runs it: outputs, the store folder and the per-article dataset."""
from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pyoxigraph
import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("build")
    store = out / "store"
    done = subprocess.run([sys.executable, "-m", "kg.cli", "build", str(ROOT / "data" / "articles"), "--out", str(out),
                           "--no-html", "--store", str(store), "--dataset", "trig", "--gzip"],
                          capture_output=True, text=True, cwd=ROOT, check=True)
    return out, store, done.stdout


def test_build_summary_names_every_output(built):
    out, store, stdout = built
    assert "built 5 article(s)" in stdout
    for name in ("graph.ttl", "report.json", "graph.trig.gz", str(store)):
        assert name in stdout


def test_build_fills_a_store_with_the_same_triples(built):
    out, store, _ = built
    graph = pyoxigraph.Store()
    graph.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    filled = pyoxigraph.Store.read_only(str(store))
    assert len(filled) == len(graph) > 500


def test_build_dataset_has_one_named_graph_per_article(built):
    out, _, _ = built
    data = gzip.decompress((out / "graph.trig.gz").read_bytes())
    ds = pyoxigraph.Store()
    ds.load(data, format=pyoxigraph.RdfFormat.TRIG)
    named = {q.graph_name for q in ds if not isinstance(q.graph_name, pyoxigraph.DefaultGraph)}
    assert len(named) == 5
