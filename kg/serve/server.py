"""Run the endpoint: query workers + the WSGI app behind Tornado's HTTP server, on 127.0.0.1 by default.

Why Tornado: it reads every request on one event loop with a deadline for the whole
header block and another for the body, so a client that dribbles its request a
byte at a time is cut off instead of holding a connection for ever (measured in
docs/serve.md: waitress and uvicorn kept such connections open; Tornado and Hypercorn
closed them). On top of it this module caps connections, in all and per client
address, and gives every request a deadline counted from its arrival: a request the
app has not answered by then gets 503 even if it never reached a thread. The app
runs on a thread pool only for the routes that wait (queries, updates, the graph
view); the rest is answered on the loop. A client that does not read its answer
is disconnected after a while too.
"""
from __future__ import annotations

import asyncio
import errno
import ipaddress
import logging
import os
import resource
import shutil
import socket
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from kg.errors import ServeConfigError
from kg.serve import page
from kg.serve.app import BLOCKING_ROUTES, EndpointApp, EndpointSettings
from kg.serve.engine import Engine, cpu_default_workers
from kg.serve.examples import QUERIES_DIR, load_examples
from kg.serve.store import GraphSource, fits_in_memory, load_store, resolve_source

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost", "::1")
STORE_MODES = ("auto", "memory", "disk")


@dataclass
class ServeConfig:
    """Everything `kg serve` can be told."""

    graph: str | os.PathLike[str]
    host: str = "127.0.0.1"
    port: int = 8000
    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 1_000_000
    workers: int = field(default_factory=cpu_default_workers)
    threads: int = 16
    cors: tuple[str, ...] = ()
    allow_update: bool = False
    update_token: str | None = None
    union_default_graph: bool = False
    queries_dir: Path = QUERIES_DIR
    store_mode: str = "auto"               # a store folder: copied into memory (auto: when it fits) or on disk
    max_query_memory_mb: int = 1024        # memory one query may add to a worker
    client_timeout: float = 10.0           # to send the request headers, and again the body
    max_connections: int = 1000
    max_client_connections: int = 32       # open connections from one client address

    def validate(self) -> None:
        """Raise ServeConfigError naming the first option that cannot work."""
        def bad(option: str, value, why: str) -> ServeConfigError:
            return ServeConfigError(f"{option} {value}: {why}")

        if not isinstance(self.port, int) or not 0 <= self.port <= 65535:
            raise bad("--port", self.port, "not a TCP port; give 1-65535, or 0 for a free one")
        for option, value in (("--threads", self.threads), ("--workers", self.workers),
                              ("--max-rows", self.max_rows), ("--max-request-bytes", self.max_request_bytes),
                              ("--max-query-memory", self.max_query_memory_mb),
                              ("--max-connections", self.max_connections),
                              ("--max-client-connections", self.max_client_connections)):
            if not isinstance(value, int) or value < 1:
                raise bad(option, value, "must be a whole number of at least 1")
        for option, value in (("--timeout", self.timeout), ("--client-timeout", self.client_timeout)):
            if not value > 0:
                raise bad(option, f"{value:g}", "must be a positive number of seconds")
        if self.store_mode not in STORE_MODES:
            raise bad("--store-mode", self.store_mode, f"choose one of {', '.join(STORE_MODES)}")
        check_host(self.host)
        if self.allow_update and not self.update_token:
            raise ServeConfigError("--allow-update needs a token: --update-token-env VAR, with VAR set to a secret "
                                   "that clients send as 'Authorization: Bearer <secret>'")


def check_host(host: str) -> None:
    """Raise ServeConfigError unless `host` is an IP address or a name this machine resolves."""
    try:
        ipaddress.ip_address(host)
        return
    except ValueError:
        pass
    if not host or all(part.isdigit() for part in host.split(".")):
        raise ServeConfigError(f"--host {host}: not an IP address (IPv4 parts are 0-255); "
                               f"use 127.0.0.1 for this machine only")
    try:
        socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeConfigError(f"--host {host}: not an address this machine can resolve ({exc}); "
                               f"use 127.0.0.1 for this machine only") from None


def _reason(status: int) -> str:
    from kg.serve.app import REASONS

    return REASONS.get(status, "Unknown")


class Server:
    """A running endpoint; `start()` returns once it answers, `stop()` ends workers and sockets."""

    def __init__(self, config: ServeConfig):
        config.validate()
        self.config = config
        self.source = resolve_source(config.graph)
        self._tmp_store: Path | None = None
        self.engine: Engine | None = None
        self.app: EndpointApp | None = None
        self._sockets: list[socket.socket] = []
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._executor: ThreadPoolExecutor | None = None
        self._http = None

    @property
    def url(self) -> str:
        host, port = self.address
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"

    @property
    def address(self) -> tuple[str, int]:
        if not self._sockets:
            return self.config.host, self.config.port
        host, port = self._sockets[0].getsockname()[:2]
        return str(host), int(port)

    def in_memory(self) -> bool:
        """Whether a store folder is copied into each worker's memory."""
        cfg = self.config
        if self.source.store_dir is None or cfg.allow_update or cfg.store_mode == "disk":
            return False
        return cfg.store_mode == "memory" or fits_in_memory(self.source.store_dir, cfg.workers)

    def start(self, *, background: bool = True) -> "Server":
        """Open the graph in the workers, bind the socket and serve (in a thread when `background`)."""
        from tornado.netutil import bind_sockets

        cfg = self.config
        source = self.source
        try:
            if cfg.allow_update and source.store_dir is None:
                # Updates need a store that survives a worker being killed mid-request.
                self._tmp_store = Path(tempfile.mkdtemp(prefix="kg-serve-store-"))
                load_store(source.files, self._tmp_store / "store")
                source = GraphSource(store_dir=self._tmp_store / "store")
            self.engine = Engine(source, workers=cfg.workers, writable=cfg.allow_update,
                                 union_default_graph=cfg.union_default_graph, in_memory=self.in_memory(),
                                 max_query_memory_mb=cfg.max_query_memory_mb)
            self.engine.start()
            settings = EndpointSettings(
                timeout=cfg.timeout, max_rows=cfg.max_rows, max_request_bytes=cfg.max_request_bytes,
                cors_origins=tuple(cfg.cors), update_token=cfg.update_token if cfg.allow_update else None,
                store_kind=self.source.kind,
                source=self.source.describe(), examples=load_examples(cfg.queries_dir),
                max_query_memory_mb=cfg.max_query_memory_mb)
            self.app = EndpointApp(self.engine, settings)
            self._sockets = bind_sockets(cfg.port, cfg.host, backlog=512)
        except BaseException:
            self.stop()
            raise
        self._executor = ThreadPoolExecutor(max_workers=cfg.threads, thread_name_prefix="kg-serve")
        if cfg.host not in LOOPBACK:
            log.warning("listening on %s: anyone who can reach this address can query the graph", cfg.host)
        if not page.yasgui_installed():
            log.warning("the YASGUI query editor is not installed, / serves a plain form; install it with: %s",
                        page.INSTALL_HINT)
        log.info("serving %s (%s triples, %s) at %s/sparql", self.source.describe(), self.engine.triples,
                 self.app.settings.store_kind, self.url)
        if background:
            self._thread = threading.Thread(target=self._run_loop, name="kg-serve", daemon=True)
            self._thread.start()
            self._ready.wait(30)
        return self

    def _run_loop(self) -> None:
        asyncio.run(self._main())

    async def _main(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        self._http = _make_http_server(self)
        self._http.add_sockets(self._sockets)
        self._ready.set()
        try:
            await self._stop.wait()
        finally:
            self._http.stop()
            await asyncio.wait_for(self._http.close_all_connections(), 5)

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C), then stop."""
        try:
            self._run_loop()
        finally:
            self.stop()

    def stop(self) -> None:
        """Stop serving, end the query workers and remove a temporary store."""
        if self._loop is not None and self._stop is not None and self._thread is not None:
            try:
                self._loop.call_soon_threadsafe(self._stop.set)
            except RuntimeError:
                pass    # the loop has ended already
            self._thread.join(timeout=10)
        self._thread = None
        for sock in self._sockets:
            sock.close()
        self._sockets = []
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        if self.app is not None:
            self.app.close()
        if self.engine is not None:
            self.engine.close()
            self.engine = None
        if self._tmp_store is not None:
            shutil.rmtree(self._tmp_store, ignore_errors=True)
            self._tmp_store = None

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


# --- the HTTP front -----------------------------------------------------------------

def _environ(request, arrival: float, deadline: float) -> dict:
    """The WSGI environ of a Tornado request."""
    host, _, port = request.host.rpartition(":") if request.host.count(":") == 1 else (request.host, "", "")
    environ = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": request.path,
        "QUERY_STRING": request.query,
        "REMOTE_ADDR": request.remote_ip,
        "SERVER_NAME": host or "127.0.0.1",
        "SERVER_PORT": port if port.isdigit() else "80",
        "SERVER_PROTOCOL": request.version,
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": request.protocol,
        "wsgi.input": BytesIO(request.body),
        "kg.arrival": arrival,
        "kg.deadline": deadline,
    }
    for key, value in request.headers.get_all():
        if key.lower() == "content-type":
            environ["CONTENT_TYPE"] = value
        elif key.lower() == "content-length":
            environ["CONTENT_LENGTH"] = value
        else:
            environ.setdefault("HTTP_" + key.replace("-", "_").upper(), value)
    return environ


def _call_app(app: EndpointApp, environ: dict) -> tuple[int, list[tuple[str, str]], bytes]:
    answer: dict = {}

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        answer["status"], answer["headers"] = int(status.split(" ", 1)[0]), headers

    body = b"".join(app(environ, start_response))
    return answer["status"], answer["headers"], body


def _make_http_server(server: Server):
    """Tornado's HTTPServer with the connection caps, deadlines and the catch-all handler."""
    import tornado.httpserver
    import tornado.iostream
    import tornado.web

    cfg = server.config
    app = server.app
    executor = server._executor
    write_timeout = max(30.0, 3 * cfg.client_timeout)
    soft_files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    max_connections = min(cfg.max_connections, max(16, soft_files - 64 - 4 * cfg.workers))

    class Handler(tornado.web.RequestHandler):
        SUPPORTED_METHODS = ("GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH")

        def set_default_headers(self) -> None:
            self.clear_header("Server")
            self.clear_header("Content-Type")

        def compute_etag(self):
            return None

        async def _answer(self) -> None:
            arrival = time.monotonic()
            deadline = arrival + cfg.timeout
            environ = _environ(self.request, arrival, deadline)
            if self.request.path in BLOCKING_ROUTES:
                future = asyncio.get_running_loop().run_in_executor(executor, _call_app, app, environ)
                try:
                    # The app answers by the deadline itself; this catches a request still queued for a thread.
                    status, headers, body = await asyncio.wait_for(asyncio.shield(future),
                                                                   max(0.0, deadline - time.monotonic()) + 0.25)
                except asyncio.TimeoutError:
                    status, headers, body = app.busy_reply(environ)
            else:
                status, headers, body = _call_app(app, environ)
            self.set_status(status, _reason(status))
            for name, value in headers:
                self.set_header(name, value)
            if body and self.request.method != "HEAD":
                self.write(body)
            try:
                await asyncio.wait_for(self.finish(), write_timeout)
            except asyncio.TimeoutError:
                self.request.connection.stream.close()    # the client stopped reading its answer
            except tornado.iostream.StreamClosedError:
                pass

        get = head = post = options = put = delete = patch = _answer

        def on_finish(self) -> None:
            pass

    class Front(tornado.httpserver.HTTPServer):
        """Tornado's HTTPServer, refusing connections over the total and per-address caps."""

        def handle_stream(self, stream, address) -> None:
            client = address[0] if isinstance(address, tuple) and address else "?"
            if len(self._connections) >= max_connections or self._clients[client] >= cfg.max_client_connections:
                message = (f"too many open connections{' from your address' if self._clients[client] else ''}; "
                           f"close some and retry\n").encode()
                stream.write(b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                             b"Retry-After: 2\r\nConnection: close\r\nContent-Length: "
                             + str(len(message)).encode() + b"\r\n\r\n" + message).add_done_callback(
                                 lambda _: stream.close())
                return
            self._clients[client] += 1
            super().handle_stream(stream, address)
            conn = next(c for c in self._connections if c.stream is stream)
            self._owner[conn] = client

        def on_close(self, server_conn) -> None:
            client = self._owner.pop(server_conn, None)
            if client is not None:
                self._clients[client] -= 1
                if self._clients[client] <= 0:
                    del self._clients[client]
            super().on_close(server_conn)

    application = tornado.web.Application([(r".*", Handler)], log_function=lambda handler: None,
                                           compress_response=False)
    front = Front(application, idle_connection_timeout=cfg.client_timeout, body_timeout=cfg.client_timeout,
                  max_body_size=cfg.max_request_bytes + 65536,
                  max_header_size=max(65536, cfg.max_request_bytes + 65536), xheaders=False)
    front._clients = Counter()
    front._owner = {}
    return front


def port_in_use(exc: OSError) -> bool:
    return exc.errno == errno.EADDRINUSE
