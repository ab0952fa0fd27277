"""The exports work in bounded memory: lines sorted on disk in runs, merged, read back as text.

Most test graphs fit in one run; here the run size is cut to a few kilobytes so that every
sort goes through files, merges and rounds of merges, and the results must not change."""
from __future__ import annotations

import gc
import os
import tracemalloc
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.export import spool
from kg.export.source import read_graph

OUTPUTS = {"neo4j": "neo4j", "trig": "graph.trig", "nquads": "graph.nq", "jsonld": "graph.jsonld"}


def export_all(graph: Path, out: Path) -> dict[str, bytes]:
    """Every export of `graph` into `out`, as {file name: bytes}; README.txt (which names the source) left out."""
    files = {}
    for fmt, name in OUTPUTS.items():
        assert main(["export", fmt, str(graph), "--out", str(out / name)]) == 0
        target = out / name
        for path in sorted(target.iterdir()) if target.is_dir() else [target]:
            if path.name != "README.txt":
                files[f"{name}/{path.name}"] = path.read_bytes()
    return files


@pytest.fixture
def tiny_runs(monkeypatch):
    monkeypatch.setattr(spool, "RUN_BYTES", 4096)
    monkeypatch.setattr(spool, "MAX_OPEN_RUNS", 4)


@pytest.fixture(scope="module")
def unsorted_graph(make_graph) -> Path:
    return make_graph(60, shuffled=True)  # its lines in random order, not as kg build writes them


def test_exports_sorted_on_disk_equal_exports_sorted_in_memory(unsorted_graph, tmp_path, monkeypatch):
    in_memory = export_all(unsorted_graph, tmp_path / "one-run")
    monkeypatch.setattr(spool, "RUN_BYTES", 4096)
    monkeypatch.setattr(spool, "MAX_OPEN_RUNS", 4)
    on_disk = export_all(unsorted_graph, tmp_path / "many-runs")
    assert on_disk.keys() == in_memory.keys()
    assert [name for name in on_disk if on_disk[name] != in_memory[name]] == []


def test_a_graph_written_sorted_gives_the_same_exports_as_the_same_graph_unsorted(unsorted_graph, tmp_path,
                                                                                    tiny_runs):
    from kg.scale.turtle import write_turtle

    built = tmp_path / "as-built" / "graph.ttl"
    built.parent.mkdir()
    with read_graph(unsorted_graph, work_dir=tmp_path) as source, built.open("wb") as out:
        write_turtle((line[:-1] for line in source.lines()), out)
    with read_graph(built) as source:
        assert source.lines_file.name == "parsed.nt"  # already in order: not sorted again
    assert export_all(built, tmp_path / "a") == export_all(unsorted_graph, tmp_path / "b")


@pytest.mark.parametrize("lines, run_bytes", [
    (["c\n", "a\n", "b\n", "a\n"] * 50, 8),  # duplicates within and across runs
    ([f"{i:05d}\n" for i in range(300)], 30),  # runs that follow each other
    ([f"{(i * 7919) % 1000:05d}\n" for i in range(1000)], 50),  # many runs: merged in rounds
])
def test_sort_lines_gives_each_line_once_in_order(tmp_path, monkeypatch, lines, run_bytes):
    monkeypatch.setattr(spool, "MAX_OPEN_RUNS", 3)
    assert list(spool.sort_lines(lines, tmp_path, "t", run_bytes)) == sorted(set(lines))
    assert list(tmp_path.iterdir()) == []  # run files removed


@settings(max_examples=200, deadline=None)
@given(text=st.text(), lang=st.sampled_from([None, "vi", "en-GB"]))
def test_literal_text_read_back_from_n_triples(text, lang):
    """What pyoxigraph writes, spool reads back: every string, escaped or not."""
    literal = ox.Literal(text, language=lang) if lang else ox.Literal(text)
    triple = ox.Triple(ox.NamedNode("https://w3id.org/vnkg/id/person/a"), ox.NamedNode("http://x.org/p"), literal)
    line = ox.serialize([triple], format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    assert "\t" not in line and line.count("\n") == 1
    s, p, o = spool.split_line(line)
    body, dtype, got_lang = spool.literal_parts(o)
    assert (s, p) == ("<https://w3id.org/vnkg/id/person/a>", "http://x.org/p")
    assert spool.unescape(body) == text and got_lang == (lang.lower() if lang else None)
    assert dtype == (spool.RDF_LANGSTRING if lang else spool.XSD_STRING)


@pytest.mark.parametrize("fmt", ["neo4j", "trig", "jsonld"])
def test_memory_does_not_grow_with_the_graph(tmp_path, monkeypatch, make_graph, fmt):
    """Python's allocations at their peak, for a graph and one four times as large: the same, once both are
    larger than what a sort holds in memory (runs of 64 KB merged 4 at a time here; 24 MB, 64 at a time in use)."""
    monkeypatch.setattr(spool, "RUN_BYTES", 1 << 16)
    monkeypatch.setattr(spool, "MAX_OPEN_RUNS", 4)
    peaks = []
    graphs = {articles: make_graph(articles) for articles in (80, 320)}
    # once unmeasured: what the first export imports and caches is not the graph's doing
    assert main(["export", fmt, str(graphs[80]), "--out", str(tmp_path / f"warm-up-{OUTPUTS[fmt]}")]) == 0
    for articles, graph in graphs.items():
        gc.collect()
        tracemalloc.start()
        try:
            assert main(["export", fmt, str(graph), "--out", str(tmp_path / f"out-{articles}-{OUTPUTS[fmt]}")]) == 0
            peaks.append(tracemalloc.get_traced_memory()[1])
        finally:
            tracemalloc.stop()
    # plus 1 MB: an interpreter table resized on the way (interned strings) is charged to whatever grew it;
    # a graph held in memory would take tens of MB here
    assert peaks[1] < 1.25 * peaks[0] + 2**20, peaks


def test_work_folder_is_removed_after_an_error_and_leftovers_of_killed_runs_too(tmp_path, capsys):
    out = tmp_path / "out"
    out.mkdir()
    dead = out / f"{spool.WORK_PREFIX}999999999-abc"  # no such process
    dead.mkdir()
    (dead / "sorted.nt").write_text("x\n")
    alive = out / f"{spool.WORK_PREFIX}{os.getppid()}-abc"  # a running process's: kept
    alive.mkdir()
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix : <http://x.org/> .\n:a :b :c .\n:a :b ", encoding="utf-8")
    assert main(["export", "neo4j", str(bad), "--out", str(out)]) == 2
    assert "not valid Turtle" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == [alive.name]
