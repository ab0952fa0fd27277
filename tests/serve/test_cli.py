"""`kg query` output and `kg serve` as a user starts it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from serve_helpers import SMALL_GRAPH, http, kg_main, query_url

from kg.serve.query import display_width

NAMES = 'SELECT ?name WHERE { ?p a <https://w3id.org/vnkg/ontology#Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?name } ORDER BY ?name'


def test_query_prints_an_aligned_table_with_vietnamese_intact(capsys):
    assert kg_main(["query", str(SMALL_GRAPH), "--example", "visits-timeline"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split(" | ")[:3] == ["when      ", "visitor           ", "destination"]
    assert lines[-1] == "(2 rows)"
    body = lines[2:-1]
    assert "Lương Cường" in body[1] and "Thongloun Sisoulith" in body[1] and "visit:5d41402abc4b2a76" in body[1]
    # columns line up on screen: every separator sits at the same display column
    columns = {tuple(display_width(line[:i]) for i, c in enumerate(line) if c == "|") for line in [lines[0], *body]}
    assert len(columns) == 1


@pytest.mark.parametrize("fmt,check", [
    ("json", lambda out: [b["name"]["value"] for b in json.loads(out)["results"]["bindings"]][1] == "Phạm Minh Chính"),
    ("csv", lambda out: out.splitlines()[:2] == ["name", "Lương Cường"]),
    ("tsv", lambda out: out.splitlines()[:2] == ["?name", '"Lương Cường"@vi']),
    ("table", lambda out: out.splitlines()[2].strip() == "Lương Cường"),
])
def test_query_formats(capsys, fmt, check):
    assert kg_main(["query", str(SMALL_GRAPH), NAMES, "--format", fmt]) == 0
    assert check(capsys.readouterr().out)


def test_query_from_a_file_as_turtle(tmp_path, capsys):
    rq = tmp_path / "q.rq"
    rq.write_text("CONSTRUCT WHERE { ?v a <https://w3id.org/vnkg/ontology#Meeting> }", encoding="utf-8")
    assert kg_main(["query", str(SMALL_GRAPH), "--file", str(rq), "--format", "turtle"]) == 0
    out = capsys.readouterr().out
    assert "meeting:9e107d9d372bb682 a vnkg:Meeting" in out


@pytest.mark.parametrize("argv,message", [
    (["SELECT ?x WHERE {"], "SPARQL query syntax error"),
    (["SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"], "SERVICE"),
    (["INSERT DATA { <http://e/a> <http://e/b> 1 }"], "only reads"),
    (["--example", "no-such-example"], "no example query 'no-such-example'"),
    ([], "give exactly one of"),
])
def test_query_errors_are_one_line_messages(capsys, argv, message):
    assert kg_main(["query", str(SMALL_GRAPH), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_kg_serve_runs_until_stopped_and_logs_each_query(tmp_path, stop_signal):
    code = ("import sys, kg.cli; kg.cli.COMMAND_MODULES = ('kg.serve.cli',); "
            "sys.exit(kg.cli.main(sys.argv[1:]))")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    process = subprocess.Popen([sys.executable, "-c", code, "serve", str(SMALL_GRAPH), "--port", "0", "--workers", "1"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = process.stdout.readline()
        assert "SPARQL endpoint http://127.0.0.1:" in line
        base = line.split("SPARQL endpoint ")[1].split("/sparql")[0]
        reply = http(query_url(base, NAMES))
        assert reply.status == 200 and "Sonexay Siphandone" in reply.text
        assert http(base + "/").status == 200
    finally:
        process.send_signal(stop_signal)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    err = process.stderr.read()
    assert process.returncode == 0
    log_lines = [l for l in err.splitlines() if " 200 " in l and "ms SELECT ?name" in l]
    assert len(log_lines) == 1
    assert log_lines[0][:4].isdigit()   # starts with the date and time
    assert "stopped" in err


def test_kg_serve_refuses_update_without_a_token_variable(capsys, monkeypatch):
    monkeypatch.delenv("KG_TEST_TOKEN", raising=False)
    assert kg_main(["serve", str(SMALL_GRAPH), "--allow-update", "--update-token-env", "KG_TEST_TOKEN"]) == 2
    assert "KG_TEST_TOKEN" in capsys.readouterr().err
    assert kg_main(["serve", str(SMALL_GRAPH), "--allow-update"]) == 2
    assert "needs a token" in capsys.readouterr().err
