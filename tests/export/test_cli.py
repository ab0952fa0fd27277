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


def test_export_graph_from_python_writes_what_the_command_writes(tmp_path, small_graph):
    import kg

    assert main(["export", "neo4j", str(small_graph), "--out", str(tmp_path / "cli")]) == 0
    written = kg.export_graph(small_graph, "neo4j", tmp_path / "api")
    assert written == tmp_path / "api"
    assert {p.name: p.read_bytes() for p in (tmp_path / "api").iterdir()} == \
        {p.name: p.read_bytes() for p in (tmp_path / "cli").iterdir()}
    assert kg.export_graph(small_graph, "trig", tmp_path / "g.trig", gzip=True) == tmp_path / "g.trig.gz"
    assert (tmp_path / "g.trig.gz").read_bytes()[:2] == b"\x1f\x8b"


@pytest.mark.parametrize("args, says", [
    (("xls",), "invalid choice: 'xls'"),
    (("neo4j",), "nowhere.ttl: no such file or folder"),
])
def test_export_graph_from_python_raises_what_is_wrong(tmp_path, small_graph, args, says):
    import kg
    from kg.errors import VnkgError

    graph = tmp_path / "nowhere.ttl" if args == ("neo4j",) else small_graph
    with pytest.raises(VnkgError, match=says.replace(".", r"\.")):
        kg.export_graph(graph, args[0], tmp_path / "out")
