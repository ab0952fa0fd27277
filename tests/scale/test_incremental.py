"""Rebuilds into the same folder do only what changed, and give the bytes a fresh build gives."""
from __future__ import annotations

import json
import shutil

import pytest


def kg_build(paths, out, *extra) -> int:
    from kg.cli import main

    return main(["build", *map(str, paths), "--out", str(out), "--no-progress", "--validate", *extra])


@pytest.fixture(scope="module")
def fresh(samples, mixed_corpus, tmp_path_factory):
    """graph.ttl and report.json of fresh builds (no cache) of the samples and of the mixed corpus."""
    outputs = {}
    for name, folder in (("samples", samples), ("mixed", mixed_corpus)):
        out = tmp_path_factory.mktemp(name)
        assert kg_build([folder], out, "--no-cache", "--no-html") == 0
        outputs[name] = ((out / "graph.ttl").read_bytes(), json.loads((out / "report.json").read_text("utf-8")))
    return outputs


def test_a_rebuild_with_nothing_changed_writes_nothing_again(samples, tmp_path, capsys):
    out = tmp_path / "out"
    assert kg_build([samples], out) == 0
    before = {name: (out / name).stat().st_mtime_ns for name in ("graph.ttl", "graph.html")}
    state = json.loads((out / ".cache" / "last-build.json").read_text("utf-8"))
    assert state["validated"]["violations"] == []
    capsys.readouterr()
    assert kg_build([samples], out) == 0
    said = capsys.readouterr().out
    assert "nothing changed since the last build" in said and "5 reused from the cache" in said
    assert "graph.ttl  (unchanged)" in said and "graph.html  (unchanged)" in said
    assert {name: (out / name).stat().st_mtime_ns for name in before} == before
    assert json.loads((out / "report.json").read_text("utf-8"))["shacl_validated"] is True


def test_articles_added_then_removed_give_the_fresh_builds_bytes(samples, mixed_corpus, fresh, tmp_path):
    out = tmp_path / "out"
    for folder, name in ((samples, "samples"), (mixed_corpus, "mixed"), (samples, "samples")):
        assert kg_build([folder], out, "--no-html") == 0
        assert (out / "graph.ttl").read_bytes() == fresh[name][0], name
        report = json.loads((out / "report.json").read_text("utf-8"))
        assert report["totals"] | {"reused": 0} == fresh[name][1]["totals"] | {"reused": 0}
        assert report["shacl_violations"] == fresh[name][1]["shacl_violations"] == []


def test_an_output_changed_by_hand_is_written_again(samples, fresh, tmp_path):
    out = tmp_path / "out"
    assert kg_build([samples], out, "--no-html") == 0
    (out / "graph.ttl").write_text("edited\n", encoding="utf-8")
    assert kg_build([samples], out, "--no-html") == 0
    assert (out / "graph.ttl").read_bytes() == fresh["samples"][0]


def test_a_moved_output_folder_writes_its_outputs_again(samples, fresh, tmp_path):
    out = tmp_path / "out"
    assert kg_build([samples], out, "--no-html") == 0
    shutil.move(out, tmp_path / "moved")
    (tmp_path / "moved" / "graph.ttl").unlink()
    assert kg_build([samples], tmp_path / "moved", "--no-html") == 0
    assert (tmp_path / "moved" / "graph.ttl").read_bytes() == fresh["samples"][0]
