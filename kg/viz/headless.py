"""Open graph pages in headless Chromium through the DevTools Protocol, to check and time them.

Used by the browser tests and scripts/bench_viz.py. Starts the system's Chromium
(Debian's /usr/bin/chromium; never a downloaded browser) with a fresh profile and
every background service off, talks to it over a loopback WebSocket only, and records
every request the page makes. Needs the `websocket-client` package (dev extra).
"""
from __future__ import annotations

import base64
import json
import logging
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from kg.errors import MissingDependencyError, ViewError

log = logging.getLogger(__name__)

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-default-browser-check", "--disable-extensions", "--disable-default-apps", "--mute-audio",
    "--hide-scrollbars", "--disable-dev-shm-usage", "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)


class Browser:
    """One headless Chromium with one page; use as a context manager."""

    def __init__(self, executable: str = CHROMIUM, *, width: int = 1440, height: int = 900, timeout: float = 30.0):
        self.executable = executable
        self.width, self.height = width, height
        self.timeout = timeout
        self.events: list[dict] = []
        self._next_id = 0
        self._process: subprocess.Popen | None = None
        self._profile: str | None = None
        self._socket = None

    # -------------------------------------------------------------- start and stop

    def __enter__(self) -> Browser:
        try:
            import websocket
        except ImportError:
            raise MissingDependencyError("websocket-client", "driving headless Chromium") from None
        if not Path(self.executable).exists():
            raise ViewError(f"{self.executable}: Chromium is not installed (bash scripts/install-system-deps.sh)")
        self._profile = tempfile.mkdtemp(prefix="vnkg-chromium-")
        self._process = subprocess.Popen(
            [self.executable, *FLAGS, f"--user-data-dir={self._profile}",
             f"--window-size={self.width},{self.height}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True)
        try:
            port = self._port()
            url = self._page_socket(port)
            self._socket = websocket.create_connection(url, timeout=self.timeout, suppress_origin=True,
                                                       enable_multithread=False)
            self.send("Page.enable")
            self.send("Runtime.enable")
            self.send("Network.enable")
            self.send("Emulation.setDeviceMetricsOverride", width=self.width, height=self.height,
                      deviceScaleFactor=1, mobile=False)
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._socket is not None:
            try:
                self._socket.close()
            except OSError as exc:
                log.debug("closing the DevTools socket: %s", exc)
            self._socket = None
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                # The browser's own group: its renderer and utility processes go with it.
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait(timeout=10)
            self._process = None
        if self._profile:
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = None

    def _port(self) -> int:
        marker = Path(self._profile) / "DevToolsActivePort"
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise ViewError(f"{self.executable} exited with code {self._process.returncode} before it listened")
            if marker.exists():
                first = marker.read_text().splitlines()[:1]
                if first and first[0].strip().isdigit():
                    return int(first[0])
            time.sleep(0.05)
        raise ViewError(f"{self.executable} did not open its DevTools port within {self.timeout:.0f} s")

    def _page_socket(self, port: int) -> str:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as answer:
                targets = json.load(answer)
            pages = [t for t in targets if t.get("type") == "page" and t.get("webSocketDebuggerUrl")]
            if pages:
                return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise ViewError(f"Chromium on 127.0.0.1:{port} showed no page to drive")

    # -------------------------------------------------------------- protocol

    def send(self, method: str, **params) -> dict:
        """Call one DevTools method and return its result; events that arrive meanwhile are kept."""
        self._next_id += 1
        ident = self._next_id
        self._socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            message = json.loads(self._socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise ViewError(f"Chromium refused {method}: {message['error'].get('message')}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)
        raise ViewError(f"Chromium did not answer {method} within {self.timeout:.0f} s")

    def evaluate(self, expression: str):
        """The value of a JavaScript expression in the page (promises are awaited)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise ViewError(f"the page raised: {text}")
        return result.get("result", {}).get("value")

    def wait_for(self, expression: str, *, timeout: float | None = None, interval: float = 0.05):
        """Poll until `expression` is truthy in the page; return its value."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise ViewError(f"the page never made {expression!r} true within {timeout or self.timeout:.0f} s")
            time.sleep(interval)

    # -------------------------------------------------------------- what a person does

    def open(self, url: str, *, ready: str = "window.vnkg && window.vnkg.ready", timeout: float | None = None) -> float:
        """Load `url` and wait until `ready` holds; return the seconds from navigation to ready."""
        self.events.clear()
        started = time.monotonic()
        self.send("Page.navigate", url=url)
        self.wait_for(ready, timeout=timeout)
        return time.monotonic() - started

    def requests(self) -> list[str]:
        """URLs of every request the page has made since it was opened."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def console_errors(self) -> list[str]:
        errors = []
        for e in self.events:
            if e.get("method") == "Runtime.exceptionThrown":
                errors.append(e["params"]["exceptionDetails"].get("exception", {}).get("description", "exception"))
            elif e.get("method") == "Runtime.consoleAPICalled" and e["params"].get("type") == "error":
                errors.append(" ".join(str(a.get("value", a.get("description", ""))) for a in e["params"]["args"]))
        return errors

    def click(self, x: float, y: float) -> None:
        """A left click at page coordinates, as a mouse would do it."""
        self.send("Input.dispatchMouseEvent", type="mouseMoved", x=x, y=y)
        self.send("Input.dispatchMouseEvent", type="mousePressed", x=x, y=y, button="left", clickCount=1)
        self.send("Input.dispatchMouseEvent", type="mouseReleased", x=x, y=y, button="left", clickCount=1)

    def type_text(self, text: str) -> None:
        self.send("Input.insertText", text=text)

    def press(self, key: str, code: int) -> None:
        """One key as a keyboard sends it: Enter and printable keys carry their text, so they activate and type."""
        text = "\r" if key == "Enter" else key if len(key) == 1 else None
        down = {"type": "keyDown", "text": text} if text else {"type": "rawKeyDown"}
        self.send("Input.dispatchKeyEvent", key=key, code=key, windowsVirtualKeyCode=code, **down)
        self.send("Input.dispatchKeyEvent", type="keyUp", key=key, code=key, windowsVirtualKeyCode=code)

    def screenshot(self, path: str | Path) -> Path:
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path = Path(path)
        path.write_bytes(base64.b64decode(data))
        return path
