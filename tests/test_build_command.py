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


# ---------------------------------------------------------------- the output folder

import json  # noqa: E402
import os  # noqa: E402
import signal  # noqa: E402
import textwrap  # noqa: E402
import time  # noqa: E402

OLD = "@prefix ex: <https://example.org/> .\nex:old ex:is ex:kept .\n"


def kg_build(*args: str, env: dict | None = None, **options) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", "build", *args], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, **(env or {})}, timeout=300, **options)


def one_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "Traceback" not in text
    return lines[0]


@pytest.mark.parametrize("kind", ["file", "named pipe", "character device", "symbolic link to nothing"])
def test_kg_build_refuses_an_out_that_is_not_a_folder(tmp_path, capsys, kind):
    from kg.cli import main

    out = tmp_path / "ra"
    if kind == "file":
        out.write_text(OLD, encoding="utf-8")
    elif kind == "named pipe":
        os.mkfifo(out)
    elif kind == "character device":
        out = Path("/dev/full")
    else:
        out.symlink_to(tmp_path / "nowhere")
    assert main(["build", str(ROOT / "data" / "articles"), "--out", str(out), "--no-progress"]) == 2
    message = one_line(capsys.readouterr().err)
    assert str(out) in message and "not a folder" in message or "link to nothing" in message
    if kind == "file":
        assert out.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == (["ra"] if kind != "character device" else [])


def test_kg_build_reports_a_full_disk_in_one_line_naming_the_file(tmp_path):
    """The process may write at most 64 KiB per file (as a full disk would stop it): one line, old outputs kept."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text(OLD, encoding="utf-8")
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from kg.cli import main
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        sys.exit(main(["build", {str(ROOT / "data" / "articles")!r}, "--out", {str(out)!r}, "--no-progress",
                       "--no-cache", "--no-html"]))
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert proc.returncode == 2
    message = one_line(proc.stderr)
    assert "cannot be written (File too large)" in message and str(out) in message
    assert (out / "graph.ttl").read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]


def test_kg_build_reports_an_out_it_may_not_create_in_one_line(capsys):
    from kg.cli import main

    assert main(["build", str(ROOT / "data" / "articles"), "--out", "/proc/vnkg-out", "--no-progress"]) == 2
    assert "/proc/vnkg-out: cannot be written" in one_line(capsys.readouterr().err)


def test_a_second_build_into_the_same_folder_stops_before_any_work(tmp_path):
    from kg.outputs import OutputFolder

    out = tmp_path / "out"
    with OutputFolder(out):
        proc = kg_build(str(ROOT / "data" / "articles"), "--out", str(out), "--no-progress")
    assert proc.returncode == 2
    message = one_line(proc.stderr)
    assert f"another kg build (process {os.getpid()}) is writing to this folder" in message
    assert not out.exists()  # the first build made it and wrote nothing


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    from kg.synthetic import write_corpus

    folder = tmp_path_factory.mktemp("corpus")
    write_corpus(folder, 120, seed=5)
    return folder


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_build_stopped_by_a_signal_keeps_the_old_outputs_and_leaves_nothing_behind(corpus, tmp_path, signum):
    out = tmp_path / "out"
    out.mkdir()
    (out / "graph.ttl").write_text(OLD, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "build", str(corpus), "--out", str(out),
                             "--no-progress"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not list(out.glob(".kg-build/local-*/spool.nt")) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # analysing articles
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == (130 if signum == signal.SIGINT else 128 + signum), err
    assert "Traceback" not in err
    assert (out / "graph.ttl").read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in out.iterdir() if p.name != ".cache") == ["graph.ttl"]  # the cache may stay


def test_what_a_killed_build_left_is_removed_by_the_next(tmp_path):
    from kg.cli import main

    out = tmp_path / "out"
    (out / ".kg-build" / "local-x").mkdir(parents=True)
    (out / ".kg-build" / "local-x" / "spool.nt").write_text("x\n", encoding="utf-8")
    (out / ".graph.ttl.k3j2.tmp").write_text("half", encoding="utf-8")
    (out / ".kg-stage-x1y2").mkdir()  # outputs staged by write_outputs called from Python
    (out / ".kg-build.lock").write_text("12345\n", encoding="utf-8")  # no process holds it any more
    assert main(["build", str(ROOT / "data" / "articles"), "--out", str(out), "--no-progress", "--no-cache",
                 "--no-html", "--no-validate"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl", "report.json"]


def test_work_files_stay_inside_the_output_folder(tmp_path, monkeypatch, capsys):
    """A busy or cleaned /tmp cannot break a build: nothing of it goes there."""
    import tempfile

    from kg.cli import main

    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    assert main(["build", str(ROOT / "data" / "articles"), "--out", str(tmp_path / "out"), "--no-progress"]) == 0
    assert list(tmp.iterdir()) == []


# ---------------------------------------------------------------- what the build says


def test_each_input_error_is_printed_once(tmp_path):
    (tmp_path / "rong.txt").write_bytes(b"")
    (tmp_path / "lao.txt").write_text("Thủ tướng Lào Sonexay Siphandone hội đàm với Thủ tướng Việt Nam tại Hà Nội.",
                                      encoding="utf-8")
    proc = kg_build(str(tmp_path), "--out", str(tmp_path / "out"), "--no-progress", "--no-html")
    assert proc.returncode == 0, proc.stderr
    assert (proc.stdout + proc.stderr).count("rong.txt") == 1


def test_summary_and_report_give_the_merged_graphs_distinct_counts(built):
    import rdflib

    out, _, stdout = built
    graph = rdflib.Graph().parse(out / "graph.ttl")
    vnkg = rdflib.Namespace("https://w3id.org/vnkg/ontology#")
    countries = len(set(graph.subjects(rdflib.RDF.type, vnkg.Country)))
    people = len(set(graph.subjects(rdflib.RDF.type, vnkg.Person)))
    totals = json.loads((out / "report.json").read_text(encoding="utf-8"))["totals"]
    assert totals["graph"]["entities"]["country"] == countries and totals["graph"]["entities"]["person"] == people
    assert totals["per_article_sums"]["entities"]["country"] > countries  # an entity in two articles counts twice
    assert f"{people} person, {countries} country" in stdout


def test_progress_shows_the_total_and_each_stage(samples_dir=ROOT / "data" / "articles"):
    import io

    from kg.builder import build_corpus
    from kg.scale.progress import Progress

    stream = io.StringIO()
    result = build_corpus([samples_dir], progress=Progress(True, stream), validate=True)
    result.close()
    shown = stream.getvalue()
    assert "5/5" in shown and "art/s" in shown
    assert "merging" in shown and "checking" in shown and "SHACL" in shown
