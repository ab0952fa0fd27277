"""Hostile clients against a real server on 127.0.0.1: each attack of scripts/attack.py, scaled down.

Attackers connect from 127.0.0.2 (and 127.0.0.10+), ordinary clients from 127.0.0.1.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from serve_helpers import SMALL_GRAPH, kg_main

ROOT = Path(__file__).resolve().parents[2]


def _attack_module():
    spec = importlib.util.spec_from_file_location("attack", ROOT / "scripts" / "attack.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["attack"] = module       # dataclasses look their module up while the class is made
    spec.loader.exec_module(module)
    return module


attack = _attack_module()


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    from kg.serve.server import ServeConfig, Server
    from kg.serve.store import load_store
    from kg.synthetic import build_graph

    folder = tmp_path_factory.mktemp("hostile")
    graph = build_graph(folder / "graph.ttl", 35)
    load_store([graph], folder / "store")
    config = ServeConfig(graph=folder / "store", port=0, workers=2, timeout=2.0, client_timeout=2.0,
                         max_query_memory_mb=200, max_client_connections=32)
    with Server(config) as server:
        server.folder = folder
        yield server


def test_slow_clients_neither_block_others_nor_stay_connected(hostile_server):
    outcome = attack.slow_clients(hostile_server.url, connections=40, client_timeout=2.0)
    assert outcome.held, outcome.detail
    assert "8 refused at once" in outcome.detail     # 40 from one address, 32 allowed


def test_simultaneous_graph_views_leave_the_server_answering(hostile_server):
    outcome = attack.graph_flood(hostile_server.url, clients=6, timeout=2.0)
    assert outcome.held, outcome.detail


def test_a_deeply_nested_query_is_400_and_kills_no_worker(hostile_server):
    outcome = attack.nested_query(hostile_server.url)
    assert outcome.held, outcome.detail


def test_a_query_growing_without_bound_is_stopped_at_the_memory_limit(hostile_server):
    outcome = attack.memory_bomb(hostile_server.url, 200, os.getpid(), timeout=2.0)
    assert outcome.held, outcome.detail
    assert "memory limit" in outcome.detail


def test_under_a_flood_every_answer_comes_by_its_own_deadline(hostile_server):
    outcome = attack.query_flood(hostile_server.url, clients=6, timeout=2.0)
    assert outcome.held, outcome.detail


def test_a_refilled_store_is_swapped_in_whole(hostile_server):
    from kg.synthetic import build_graph

    other = build_graph(hostile_server.folder / "other.ttl", 40, seed=8)
    outcome = attack.store_swap(hostile_server.url, hostile_server.folder / "store", other)
    assert outcome.held, outcome.detail


@pytest.mark.parametrize("option,message", [
    (["--port", "70000"], "--port 70000: not a TCP port"),
    (["--port", "-1"], "--port -1: not a TCP port"),
    (["--threads", "0"], "--threads 0: must be a whole number of at least 1"),
    (["--workers", "0"], "--workers 0: must be a whole number of at least 1"),
    (["--host", "999.1.1.1"], "--host 999.1.1.1: not an IP address"),
    (["--host", "no-such-host.invalid"], "--host no-such-host.invalid: not an address this machine can resolve"),
    (["--timeout", "0"], "--timeout 0: must be a positive number"),
])
def test_impossible_options_give_one_line_and_exit_2(capsys, option, message):
    assert kg_main(["serve", str(SMALL_GRAPH), *option]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]


def test_a_nested_query_in_kg_query_is_refused_not_a_crash():
    text = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    run = subprocess.run([sys.executable, "-m", "kg.cli", "query", str(SMALL_GRAPH), text], capture_output=True,
                         text=True, timeout=60, cwd=ROOT)
    assert run.returncode == 2
    assert "nests brackets 5002 deep" in run.stderr and "Traceback" not in run.stderr
