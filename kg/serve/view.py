"""The interactive view at /graph, drawn in a child process with a time and a memory limit.

Drawing a large graph takes seconds and gigabytes, so it never runs in the server
process: one child (`python -m kg.serve.view`) draws the page for the version of the
graph being served, every request for /graph waits for that one drawing (never more
than its own deadline), and the page is kept until the graph changes. A drawing
that passes its limits is stopped and the reason shown instead.
"""
from __future__ import annotations

import argparse
import logging
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from kg.serve.store import GraphSource

log = logging.getLogger(__name__)

DRAW_TIME_LIMIT_S = 300.0


def _rdflib_graph(source: GraphSource):
    """The graph as an rdflib Graph (for drawing it), read through Oxigraph."""
    import pyoxigraph
    import rdflib

    from kg.serve.store import load_files

    store = pyoxigraph.Store.read_only(str(source.store_dir)) if source.store_dir is not None else pyoxigraph.Store()
    load_files(store, source.files, bulk=True)
    data = store.dump(format=pyoxigraph.RdfFormat.N_QUADS)
    dataset = rdflib.Dataset()
    dataset.parse(data=data.decode("utf-8"), format="nquads")
    graph = rdflib.Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def main(argv: list[str] | None = None) -> int:
    """`python -m kg.serve.view --out FILE (--store DIR | --files F...)`: draw the view into FILE."""
    from kg.errors import VnkgError
    from kg.viz import render_html

    parser = argparse.ArgumentParser(prog="kg.serve.view")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--store")
    parser.add_argument("--files", nargs="*", default=[])
    args = parser.parse_args(argv)
    source = GraphSource(store_dir=Path(args.store)) if args.store else GraphSource(files=tuple(map(Path, args.files)))
    try:
        html = render_html(_rdflib_graph(source), title="vnkg graph")
    except VnkgError as exc:
        print(str(exc), file=sys.stderr)
        return 3
    args.out.write_text(html, encoding="utf-8")
    return 0


class GraphView:
    """One drawing at a time of the served graph, kept per version of it."""

    def __init__(self, source: GraphSource, *, max_memory_mb: int, time_limit_s: float = DRAW_TIME_LIMIT_S):
        self.source = source
        self.max_memory = max_memory_mb * 1024 * 1024
        self.time_limit = time_limit_s
        self._cond = threading.Condition()
        self._pages: dict[object, tuple[int, bytes]] = {}    # version -> (status, body)
        self._drawing: object | None = None
        self._process: subprocess.Popen | None = None
        self._closed = False

    def page(self, version: object, deadline: float) -> tuple[int, bytes] | None:
        """(status, body) of the view of `version`, or None when it is not drawn by `deadline`."""
        with self._cond:
            if version not in self._pages and self._drawing != version and not self._closed:
                self._drawing = version
                threading.Thread(target=self._draw, args=(version,), name="kg-graph-view", daemon=True).start()
            while version not in self._pages:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self._closed:
                    return None
                self._cond.wait(remaining)
            return self._pages[version]

    def _draw(self, version: object) -> None:
        from kg.serve.engine import _rss_bytes

        with tempfile.TemporaryDirectory(prefix="kg-graph-view-") as tmp:
            out = Path(tmp) / "graph.html"
            args = [sys.executable, "-m", "kg.serve.view", "--out", str(out)]
            args += ["--store", str(self.source.store_dir)] if self.source.store_dir else ["--files", *map(str, self.source.files)]
            env = dict(os.environ)
            package_root = str(Path(__file__).resolve().parents[2])
            env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
            process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.PIPE, env=env, start_new_session=True)
            self._process = process
            stop = time.monotonic() + self.time_limit
            reason = None
            while process.poll() is None:
                if time.monotonic() > stop:
                    reason = f"drawing it took over {self.time_limit:g} s"
                elif _rss_bytes(process.pid) > self.max_memory:
                    reason = f"drawing it needed over {self.max_memory // (1024 * 1024)} MB"
                if reason or self._closed:
                    process.kill()
                    process.wait()
                    break
                time.sleep(0.1)
            error = process.stderr.read().decode("utf-8", "replace").strip() if process.stderr else ""
            if process.returncode == 0 and out.is_file():
                result = (200, out.read_bytes())
            else:
                if reason:
                    message = (f"the graph view is not available: {reason}; draw a part of it with "
                               f"`kg viz GRAPH --focus NAME` or `--since/--until`")
                elif process.returncode == 3:
                    message = f"the graph view is not available: {error.splitlines()[-1] if error else 'no view'}"
                else:
                    log.error("drawing the graph view failed (exit code %s): %s", process.returncode, error[-2000:])
                    message = "the graph view could not be drawn; the server log has the details"
                result = (503, (message + "\n").encode("utf-8"))
        with self._cond:
            self._pages = {version: result}    # only the current version is kept
            self._drawing = None
            self._process = None
            self._cond.notify_all()

    def close(self) -> None:
        with self._cond:
            self._closed = True
            process = self._process
            self._cond.notify_all()
        if process is not None and process.poll() is None:
            process.kill()


if __name__ == "__main__":
    sys.exit(main())
