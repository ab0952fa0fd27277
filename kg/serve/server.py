"""Run the endpoint: query workers + the WSGI app behind waitress, on 127.0.0.1 by default.

waitress reads whole requests and writes whole responses on its own I/O thread, so a
slow or stalled client never holds a request thread; request threads only wait for
query workers, each bounded by the query time limit.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import ServeConfigError
from kg.serve import page
from kg.serve.app import EndpointApp, EndpointSettings
from kg.serve.engine import Engine, cpu_default_workers
from kg.serve.examples import QUERIES_DIR, load_examples
from kg.serve.store import GraphSource, load_store, resolve_source

log = logging.getLogger(__name__)

LOOPBACK = ("127.0.0.1", "localhost", "::1")


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
    threads: int = 8
    cors: tuple[str, ...] = ()
    allow_update: bool = False
    update_token: str | None = None
    union_default_graph: bool = False
    queries_dir: Path = QUERIES_DIR


class Server:
    """A running endpoint; `start()` returns once it answers, `stop()` ends workers and sockets."""

    def __init__(self, config: ServeConfig):
        if config.allow_update and not config.update_token:
            raise ServeConfigError("--allow-update needs a token: --update-token-env VAR, with VAR set to a secret "
                                   "that clients send as 'Authorization: Bearer <secret>'")
        if config.timeout <= 0 or config.max_rows <= 0 or config.max_request_bytes <= 0:
            raise ServeConfigError("--timeout, --max-rows and --max-request-bytes must be positive")
        self.config = config
        self.source = resolve_source(config.graph)
        self._tmp_store: Path | None = None
        self.engine: Engine | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        host, port = self.address
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{port}"

    @property
    def address(self) -> tuple[str, int]:
        if self._server is None:
            return self.config.host, self.config.port
        sockaddr = self._server.effective_host, self._server.effective_port
        return str(sockaddr[0]), int(sockaddr[1])

    def start(self, *, background: bool = True) -> "Server":
        """Open the graph in the workers, bind the socket and serve (in a thread when `background`)."""
        from waitress.server import create_server

        cfg = self.config
        source = self.source
        if cfg.allow_update and source.store_dir is None:
            # Updates need a store that survives a worker being killed mid-request.
            self._tmp_store = Path(tempfile.mkdtemp(prefix="kg-serve-store-"))
            load_store(source.files, self._tmp_store / "store")
            source = GraphSource(store_dir=self._tmp_store / "store")
        self.engine = Engine(source, workers=cfg.workers, writable=cfg.allow_update,
                             union_default_graph=cfg.union_default_graph)
        try:
            self.engine.start()
            settings = EndpointSettings(
                timeout=cfg.timeout, max_rows=cfg.max_rows, max_request_bytes=cfg.max_request_bytes,
                cors_origins=tuple(cfg.cors), update_token=cfg.update_token if cfg.allow_update else None,
                store_kind=self.source.kind, source=self.source.describe(),
                examples=load_examples(cfg.queries_dir))
            app = EndpointApp(self.engine, settings)
            self._server = create_server(
                app, host=cfg.host, port=cfg.port, threads=cfg.threads,
                connection_limit=100, channel_timeout=60, cleanup_interval=10,
                max_request_body_size=cfg.max_request_bytes + 65536,
                ident="vnkg", clear_untrusted_proxy_headers=True)
        except BaseException:
            self.stop()
            raise
        # waitress warns on every queued request under load; the access log already shows load.
        logging.getLogger("waitress.queue").setLevel(logging.ERROR)
        if cfg.host not in LOOPBACK:
            log.warning("listening on %s: anyone who can reach this address can query the graph", cfg.host)
        if not page.yasgui_installed():
            log.warning("the YASGUI query editor is not installed, / serves a plain form; install it with: %s",
                        page.INSTALL_HINT)
        log.info("serving %s (%s triples, %s) at %s/sparql", self.source.describe(), self.engine.triples,
                 self.source.kind, self.url)
        if background:
            self._thread = threading.Thread(target=self._loop, name="kg-serve", daemon=True)
            self._thread.start()
        return self

    def _loop(self) -> None:
        from waitress import wasyncore

        server = self._server
        try:
            while not self._stopping.is_set():
                wasyncore.loop(timeout=0.5, map=server._map, use_poll=True, count=1)
        finally:
            # Close the listening socket and every open connection from the loop's own thread.
            for channel in list(server._map.values()):
                try:
                    channel.close()
                except OSError:
                    pass
            server.task_dispatcher.shutdown(timeout=2)

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (Ctrl-C), then stop."""
        try:
            self._loop()
        finally:
            self._server = None
            self.stop()

    def stop(self) -> None:
        """Stop serving, end the query workers and remove a temporary store."""
        self._stopping.set()
        if self._thread is not None:
            if self._server is not None:
                try:
                    self._server.pull_trigger()   # wake the loop; it may have closed the trigger already
                except OSError:
                    pass
            self._thread.join(timeout=10)
            self._thread = None
        self._server = None
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
