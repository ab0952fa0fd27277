"""Fixtures for the endpoint tests: real servers on 127.0.0.1 at free ports, stopped after."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

# The suite runs with --import-mode=importlib: make this folder's helper modules importable.
sys.path.insert(0, str(Path(__file__).resolve().parent))
from serve_helpers import SMALL_GRAPH  # noqa: E402

from kg.serve.server import ServeConfig, Server


@pytest.fixture
def small_graph() -> Path:
    return SMALL_GRAPH


@pytest.fixture
def start_server():
    """start_server(graph=..., **ServeConfig options) -> a running Server; all stopped at teardown."""
    servers: list[Server] = []

    def start(graph=SMALL_GRAPH, **options) -> Server:
        options.setdefault("workers", 1)
        server = Server(ServeConfig(graph=graph, host="127.0.0.1", port=0, **options)).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="module")
def endpoint():
    """The base URL of a default server over graph_small.ttl, shared by a module's tests."""
    server = Server(ServeConfig(graph=SMALL_GRAPH, host="127.0.0.1", port=0, workers=2)).start()
    yield server.url
    server.stop()
