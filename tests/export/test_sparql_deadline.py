"""`kg load sparql --timeout S` bounds each request as a whole: a store that answers one byte at a time
cannot hold a load past S. The stores are real sockets on 127.0.0.1; each load runs in a child process
with a hard limit, so a regression fails the test instead of hanging the suite."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class DripServer:
    """An HTTP/1.1 server that answers one byte every `interval` seconds; with `fast_options`,
    OPTIONS gets a full answer at once (Allow: PUT...) and only the writes drip."""

    def __init__(self, *, fast_options: bool, interval: float = 1.0):
        self.fast_options = fast_options
        self.interval = interval
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.stopping = threading.Event()
        self.requests: list[str] = []
        self.threads = [threading.Thread(target=self._accept, daemon=True)]
        self.threads[0].start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _addr = self.listener.accept()
            except (TimeoutError, OSError):
                continue
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self.threads.append(thread)
            thread.start()

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(0.5)
        buffer = b""
        with conn:
            while not self.stopping.is_set():
                while b"\r\n\r\n" not in buffer:
                    try:
                        chunk = conn.recv(65536)
                    except TimeoutError:
                        if self.stopping.is_set():
                            return
                        continue
                    except OSError:
                        return
                    if not chunk:
                        return
                    buffer += chunk
                head, _, buffer = buffer.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                method = lines[0].split(" ", 1)[0]
                length = next((int(v) for k, _, v in (h.partition(":") for h in lines[1:])
                               if k.strip().lower() == "content-length"), 0)
                while len(buffer) < length:
                    try:
                        buffer += conn.recv(65536)
                    except TimeoutError:
                        continue
                buffer = buffer[length:]
                self.requests.append(method)
                if method == "OPTIONS" and self.fast_options:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nAllow: GET, PUT, POST, DELETE, OPTIONS\r\n"
                                 b"Content-Length: 0\r\n\r\n")
                    continue
                for byte in b"HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n":
                    if self.stopping.wait(self.interval):
                        return
                    try:
                        conn.sendall(bytes([byte]))
                    except OSError:
                        return

    def close(self) -> None:
        self.stopping.set()
        self.listener.close()
        for thread in self.threads:
            thread.join(timeout=5)


@pytest.fixture
def drip_server(request):
    server = DripServer(fast_options=request.param)
    yield server
    server.close()


def kg_load(graph: Path, endpoint: str, *extra: str, limit: float = 60) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        proc = subprocess.run([sys.executable, "-m", "kg.cli", "load", "sparql", str(graph), "--endpoint", endpoint,
                               *extra], cwd=ROOT, capture_output=True, text=True, timeout=limit,
                              env={**os.environ, "NO_PROXY": "*"})
    except subprocess.TimeoutExpired:
        pytest.fail(f"kg load sparql was still running after {limit:g} s")
    return proc.returncode, proc.stderr, time.monotonic() - started


@pytest.mark.parametrize("drip_server, what", [(False, "to an OPTIONS request"), (True, "")],
                         indirect=["drip_server"], ids=["every-request-drips", "writes-drip"])
def test_a_store_that_sends_one_byte_a_second_is_cut_off_at_the_timeout(small_graph, tmp_path, drip_server, what):
    graph = tmp_path / "graph.ttl"
    graph.write_bytes(small_graph.read_bytes())
    # --per-article: no look for stale article graphs first, so the request after OPTIONS is the first PUT
    code, err, elapsed = kg_load(graph, f"http://127.0.0.1:{drip_server.port}/store", "--protocol", "gsp",
                                 "--timeout", "3", "--per-article")
    assert code == 2, err
    expected = f"http://127.0.0.1:{drip_server.port}/store: endpoint unreachable: no answer within 3 s {what}"
    assert expected.strip() in err
    # start-up of the child process included; without a deadline the load would take minutes
    assert elapsed < 20, elapsed
    if drip_server.fast_options:
        assert drip_server.requests[:2] == ["OPTIONS", "PUT"]


@pytest.mark.parametrize("drip_server", [True], indirect=True)
def test_a_timeout_is_not_a_socket_timeout(small_graph, drip_server):
    """Bytes keep coming every second, so no single read waits 3 s: only a deadline stops it."""
    from kg.errors import StoreUnreachableError
    from kg.export.source import read_graph
    from kg.export.sparql_load import load_sparql

    started = time.monotonic()
    with read_graph(small_graph) as source, pytest.raises(StoreUnreachableError, match="within 2 s"):
        load_sparql(source, f"http://127.0.0.1:{drip_server.port}/store", protocol="gsp", timeout=2,
                    per_article=True, state_path=source.work / "state.json")
    assert drip_server.requests == ["OPTIONS", "PUT"]
    assert time.monotonic() - started < 10


def test_load_works_from_code_that_runs_an_event_loop(small_graph, closed_port):
    """A notebook runs an event loop: the load must still run, and fail as it would elsewhere."""
    import asyncio

    from kg.errors import StoreUnreachableError
    from kg.export.source import read_graph
    from kg.export.sparql_load import load_sparql

    async def in_a_notebook():
        with read_graph(small_graph) as source:
            load_sparql(source, f"http://127.0.0.1:{closed_port}/store", protocol="gsp", timeout=5,
                        state_path=source.work / "state.json")

    with pytest.raises(StoreUnreachableError, match="connection refused"):
        asyncio.run(in_a_notebook())
