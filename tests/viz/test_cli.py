"""`kg viz`: the command a user runs, through kg.cli.main."""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from kg.cli import main

SMALL = Path(__file__).resolve().parents[1] / "data" / "graph_small.ttl"


@pytest.fixture()
def out_dir(tmp_path) -> Path:
    folder = tmp_path / "output"
    folder.mkdir()
    shutil.copy(SMALL, folder / "graph.ttl")
    return folder


def page_data(path: Path) -> dict:
    page = path.read_text(encoding="utf-8")
    return json.loads(re.search(r'id="vnkg-data">(.*?)</script>', page, re.S).group(1))


def test_viz_writes_the_page_beside_the_graph(out_dir, capsys):
    assert main(["viz", str(out_dir)]) == 0
    page = out_dir / "graph.html"
    assert page_data(page)["stats"]["nodes"] == 21
    assert f"wrote {page}: 21 nodes, 32 links, 3 timeline entries" in capsys.readouterr().out


def test_viz_focus_and_dates_reach_the_page(out_dir):
    target = out_dir / "thongloun.html"
    assert main(["viz", str(out_dir / "graph.ttl"), "--out", str(target), "--focus", "Thongloun Sisoulith",
                 "--since", "2024", "--until", "2025-06"]) == 0
    data = page_data(target)
    assert data["focus"] == "https://w3id.org/vnkg/id/person/thongloun-sisoulith"
    assert (data["since"], data["until"]) == ("2024-01-01", "2025-06-30")
    assert data["stats"]["nodes"] == 6


@pytest.mark.parametrize(("args", "name", "magic"), [
    (["--format", "png", "--out", "{dir}/overview.png"], "overview.png", b"\x89PNG"),
    (["--out", "{dir}/overview.svg"], "overview.svg", b"<?xml"),
    (["--format", "svg"], "graph.svg", b"<?xml"),
])
def test_viz_writes_a_static_picture(out_dir, args, name, magic):
    pytest.importorskip("matplotlib", reason="the static picture needs the `viz` extra")
    assert main(["viz", str(out_dir), *[a.format(dir=out_dir) for a in args]]) == 0
    assert (out_dir / name).read_bytes().startswith(magic)


@pytest.mark.parametrize(("args", "message"), [
    (["{dir}/nothing-here"], "no such file or folder"),
    (["{empty}"], "has no graph.ttl"),
    (["{dir}", "--focus", "Không Ai Cả"], "no person, country"),
    (["{dir}", "--since", "June"], "is not a date"),
])
def test_viz_explains_what_went_wrong(out_dir, tmp_path, capsys, args, message):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["viz", *[a.format(dir=out_dir, empty=empty) for a in args]]) == 2
    assert message in capsys.readouterr().err
    assert not (out_dir / "graph.html").exists()


def test_viz_view_option_sets_what_the_page_shows_first(out_dir):
    target = out_dir / "facts.html"
    assert main(["viz", str(out_dir), "--out", str(target), "--view", "facts"]) == 0
    assert page_data(target)["view"] == "facts"
