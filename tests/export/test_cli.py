"""The export commands from the command line: inputs, outputs and what a user sees when input is wrong."""
from __future__ import annotations

import shutil

import pytest

from kg.cli import main


@pytest.mark.parametrize("fmt, out_name, expect", [
    ("neo4j", "neo4j", ["import.cypher", "n10s.cypher", "README.txt", "nodes_Person.csv", "rels_VISITED.csv"]),
    ("trig", "graph.trig", []), ("nquads", "graph.nq", []), ("graphml", "graph.graphml", []),
    ("gexf", "graph.gexf", []), ("jsonld", "graph.jsonld", []), ("csv", "lists", ["nodes.csv", "edges.csv"]),
])
def test_every_format_accepts_the_build_folder(tmp_path, small_graph, fmt, out_name, expect, capsys):
    build = tmp_path / "output"
    build.mkdir()
    shutil.copy(small_graph, build / "graph.ttl")
    out = tmp_path / out_name
    assert main(["export", fmt, str(build), "--out", str(out)]) == 0
    assert out.exists()
    for name in expect:
        assert (out / name).is_file()
    assert str(out) in capsys.readouterr().out
    leftovers = [p for p in tmp_path.rglob("*") if p.name.startswith(".") or p.name.endswith(".part")]
    assert leftovers == []


@pytest.mark.parametrize("make, words", [
    (lambda d: d / "missing.ttl", ["missing.ttl", "no such file"]),
    (lambda d: d, ["has no graph.ttl", "kg build"]),
    (lambda d: (d / "bad.ttl").write_text("@prefix : <x> .\n:a :b ") and d / "bad.ttl", ["bad.ttl", "not valid Turtle"]),
    (lambda d: (d / "g.txt").write_text("x") and d / "g.txt", ["g.txt", "not a graph file type vnkg reads", ".ttl"]),
])
def test_bad_input_says_what_is_wrong(tmp_path, make, words, capsys):
    path = make(tmp_path)
    assert main(["export", "graphml", str(path), "--out", str(tmp_path / "x.graphml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("kg export: ")
    for word in words:
        assert word in err
    assert not (tmp_path / "x.graphml").exists()
