"""Upload a graph to a triplestore: SPARQL 1.1 Graph Store Protocol, or SPARQL UPDATE.

GSP (`--protocol gsp`): the first batch of each target graph is PUT (which replaces the
graph), the following ones POSTed (appended), as N-Triples, to ENDPOINT?graph=IRI.
UPDATE (`--protocol update`): `DROP SILENT GRAPH <g>` then `INSERT DATA { GRAPH <g> {...} }`
in batches (1,000 triples by default; a batch the store refuses as too large is split). `auto` (the default) uses GSP and falls back to
UPDATE at the same URL when the endpoint answers that it does not do GSP (405, 415, 501).

Either way a load replaces the target graphs, so loading twice gives the same store.
A state file records the batches done; when a load is interrupted, running the same
command again sends only what is left. The state file is removed once a load completes.

Targets: one named graph per build (the IRI from quads.build_graph_iri, or --graph), or
with per_article=True one graph per article (quads.partition) plus the build graph for
the entity descriptions.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import StoreAuthError, StoreError, StoreUnreachableError
from kg.export import quads
from kg.export.files import write_text
from kg.export.source import SourceGraph

log = logging.getLogger(__name__)

PROTOCOLS = ("auto", "gsp", "update")
# Virtuoso's SPARQL compiler refuses an INSERT DATA of much more than 1,000 triples ("generated SQL
# text has exceeded 10000 lines"); larger requests that a store refuses as too big are split in two.
DEFAULT_BATCH = {"gsp": 100_000, "update": 1_000}
_TOO_BIG = ("exceeded", "memory exhausted", "too large", "too long", "payload", "entity too large")
_NOT_GSP = (405, 415, 501)
_HINT_PATHS = ("GSP endpoints: Virtuoso /sparql-graph-crud-auth, GraphDB /repositories/ID/rdf-graphs/service, "
               "Fuseki /DATASET/data, Oxigraph /store; UPDATE endpoints: Virtuoso /sparql-auth, "
               "GraphDB /repositories/ID/statements, Fuseki /DATASET/update, Oxigraph /update")


@dataclass(frozen=True)
class Batch:
    """One request: `method` is PUT or POST (GSP), DROP or INSERT (UPDATE)."""

    key: str
    graph: str
    method: str
    triples: tuple = ()


@dataclass
class SparqlLoadReport:
    endpoint: str
    protocol: str
    graphs: dict = field(default_factory=dict)  # graph IRI -> triples
    batches_sent: int = 0
    batches_skipped: int = 0
    triples_sent: int = 0
    state_file: str = ""


def targets(source: SourceGraph, *, graph_iri: str | None = None, per_article: bool = False) -> dict[str, list]:
    """Triples per target graph IRI, in a stable order."""
    build = graph_iri or quads.build_graph_iri(source)
    if not per_article:
        return {build: _sorted(source.triples)}
    parts = quads.partition(source)
    out = {g if g is not None else build: _sorted(ts) for g, ts in parts.items()}
    return dict(sorted(out.items()))


def plan(graphs: dict[str, list], protocol: str, batch_size: int | None = None) -> list[Batch]:
    """The requests that load `graphs` with `protocol` ("gsp" or "update")."""
    size = batch_size or DEFAULT_BATCH[protocol]
    out = []
    for graph, triples in graphs.items():
        if protocol == "update":
            out.append(Batch(_key(graph, "DROP", ()), graph, "DROP"))
        for i in range(0, len(triples), size):
            chunk = tuple(triples[i:i + size])
            method = "INSERT" if protocol == "update" else ("PUT" if i == 0 else "POST")
            out.append(Batch(_key(graph, f"{method}{i}", chunk), graph, method, chunk))
    return out


def load_sparql(source: SourceGraph, endpoint: str, *, graph_iri: str | None = None, per_article: bool = False,
                protocol: str = "auto", user: str | None = None, password: str | None = None,
                batch_size: int | None = None, state_path: str | Path | None = None, timeout: float = 120.0,
                progress: bool = False, after_batch: Callable[[Batch], None] | None = None) -> SparqlLoadReport:
    """Load the graph into the store at `endpoint`; resumable through the state file (see module docstring)."""
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise StoreError(endpoint, "not an HTTP(S) endpoint URL",
                         hint="e.g. http://localhost:8890/sparql-graph-crud-auth")
    graphs = targets(source, graph_iri=graph_iri, per_article=per_article)
    http = _Http(endpoint, user, password, timeout)
    chosen = "gsp" if protocol == "auto" else protocol
    state_file = Path(state_path) if state_path else default_state_path(source, endpoint, graphs)
    report = SparqlLoadReport(endpoint, chosen, {g: len(t) for g, t in graphs.items()}, state_file=str(state_file))

    batches = plan(graphs, chosen, batch_size)
    done = _read_state(state_file, endpoint, chosen, batches)
    try:
        _send_all(http, batches, done, state_file, endpoint, chosen, report, progress, after_batch)
    except StoreError as exc:
        status = getattr(exc, "status", None)
        if not (protocol == "auto" and chosen == "gsp" and status in _NOT_GSP and report.batches_sent == 0):
            raise
        log.warning("%s does not accept Graph Store Protocol requests (HTTP %s); using SPARQL UPDATE",
                    endpoint, status)
        chosen = report.protocol = "update"
        batches = plan(graphs, chosen, batch_size)
        done = _read_state(state_file, endpoint, chosen, batches)
        try:
            _send_all(http, batches, done, state_file, endpoint, chosen, report, progress, after_batch)
        except StoreError as exc2:
            raise StoreError(endpoint, f"neither protocol worked: Graph Store Protocol got HTTP {status}; "
                                       f"SPARQL UPDATE: {exc2.problem}", hint=_HINT_PATHS) from exc2
    state_file.unlink(missing_ok=True)
    if state_path is None:
        with contextlib.suppress(OSError):
            state_file.parent.rmdir()  # only when no other load is under way
    log.info("%s: %d batches sent, %d already done, %d triples in %d graphs", endpoint, report.batches_sent,
             report.batches_skipped, sum(report.graphs.values()), len(report.graphs))
    return report


def default_state_path(source: SourceGraph, endpoint: str, graphs: dict[str, list]) -> Path:
    """<graph folder>/.kg-load/<hash of endpoint and target graphs>.json"""
    key = hashlib.sha256("\n".join([endpoint, *graphs]).encode("utf-8")).hexdigest()[:16]
    return source.path.parent / ".kg-load" / f"{key}.json"


def _send_all(http, batches, done, state_file, endpoint, protocol, report, progress, after_batch) -> None:
    from tqdm import tqdm

    for batch in tqdm(batches, desc="kg load sparql", unit="batch", disable=not progress):
        if batch.key in done:
            report.batches_skipped += 1
            continue
        http.send_batch(batch)
        done.add(batch.key)
        report.batches_sent += 1
        report.triples_sent += len(batch.triples)
        _write_state(state_file, endpoint, protocol, batches, done)
        if after_batch:
            after_batch(batch)


def _plan_digest(batches: list[Batch]) -> str:
    return hashlib.sha256("\n".join(b.key for b in batches).encode()).hexdigest()


def _read_state(path: Path, endpoint: str, protocol: str, batches: list[Batch]) -> set[str]:
    if not path.is_file():
        return set()
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("%s is not a readable load state; starting the load from the beginning", path)
        return set()
    if (state.get("endpoint"), state.get("protocol"), state.get("plan")) != (endpoint, protocol,
                                                                              _plan_digest(batches)):
        log.info("%s records another load (other graph, endpoint or protocol); starting afresh", path)
        return set()
    done = set(state.get("done", []))
    log.info("resuming: %d of %d batches already loaded", len(done), len(batches))
    return done


def _write_state(path: Path, endpoint: str, protocol: str, batches: list[Batch], done: set[str]) -> None:
    state = {"endpoint": endpoint, "protocol": protocol, "plan": _plan_digest(batches),
             "done": [b.key for b in batches if b.key in done]}
    try:
        write_text(path, json.dumps(state, indent=1) + "\n")
    except OSError as exc:
        raise StoreError(str(path), f"cannot record the load's progress: {exc}",
                         hint="give a writable file with --state") from exc


def _key(graph: str, step: str, triples: tuple) -> str:
    digest = hashlib.sha256()
    for t in triples:
        digest.update(str(t).encode("utf-8"))
        digest.update(b"\n")
    return f"{graph} {step} {digest.hexdigest()[:16]}"


def _sorted(triples: list) -> list:
    return sorted(triples, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def ntriples(triples) -> bytes:
    """N-Triples bytes (UTF-8, one triple a line) for triples."""
    import pyoxigraph as ox

    return ox.serialize(list(triples), format=ox.RdfFormat.N_TRIPLES)


class _Http:
    """urllib with Basic or Digest authentication (whichever the store asks for), bounded time-outs
    and errors that say what to do.

    Once the store has named its scheme, credentials go with every request: a store that answers
    401 before reading a large body would otherwise cut the upload off (a broken pipe). Before the
    first large upload the same request is sent with an empty body to learn the scheme; for a GSP
    PUT or POST that changes nothing the real request does not redo.
    """

    PRIME_ABOVE = 64 * 1024

    def __init__(self, endpoint: str, user: str | None, password: str | None, timeout: float):
        self.endpoint = endpoint
        self.user = user
        self.password = password or ""
        self.timeout = timeout
        self.scheme: str | None = None
        self.challenge: dict | None = None
        self._digest = None
        if user:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, endpoint, user, self.password)
            # Used only to compute Digest answers (nonce counts, cnonce); never installed as a handler.
            self._digest = urllib.request.HTTPDigestAuthHandler(manager)
        handlers: list = []
        host = urllib.parse.urlsplit(endpoint).hostname or ""
        if host in ("localhost", "::1") or host.startswith("127."):
            handlers.append(urllib.request.ProxyHandler({}))  # a local store is never behind a proxy
        self.opener = urllib.request.build_opener(*handlers)

    def send_batch(self, batch: Batch) -> None:
        g = batch.graph
        if batch.method in ("PUT", "POST"):
            url = self._with_graph(g)
            self.request(batch.method, url, ntriples(batch.triples), "application/n-triples")
        elif batch.method == "DROP":
            self.request("POST", self.endpoint, f"DROP SILENT GRAPH <{g}>".encode(), "application/sparql-update")
        else:
            self._insert(g, batch.triples)

    def _insert(self, graph: str, triples: tuple) -> None:
        body = b"INSERT DATA { GRAPH <" + graph.encode() + b"> {\n" + ntriples(triples) + b"} }"
        try:
            self.request("POST", self.endpoint, body, "application/sparql-update")
        except StoreError as exc:
            too_big = getattr(exc, "status", None) == 413 or (
                getattr(exc, "status", None) in (400, 500) and any(w in str(exc).lower() for w in _TOO_BIG))
            if not too_big or len(triples) < 2:
                raise
            # Re-inserting a half that went through adds nothing: RDF graphs are sets.
            log.info("%s refused %d triples in one INSERT DATA; sending two halves", self.endpoint, len(triples))
            half = len(triples) // 2
            self._insert(graph, triples[:half])
            self._insert(graph, triples[half:])

    def _with_graph(self, graph: str) -> str:
        parts = urllib.parse.urlsplit(self.endpoint)
        query = (parts.query + "&" if parts.query else "") + urllib.parse.urlencode({"graph": graph})
        return urllib.parse.urlunsplit(parts._replace(query=query))

    def request(self, method: str, url: str, body: bytes, content_type: str) -> bytes:
        if self.user and self.scheme is None and len(body) > self.PRIME_ABOVE and method in ("PUT", "POST") \
                and content_type == "application/n-triples":
            self._send(method, url, b"", content_type)
        return self._send(method, url, body, content_type)

    def _send(self, method: str, url: str, body: bytes, content_type: str) -> bytes:
        for attempt in range(2):
            req = urllib.request.Request(url, data=body, method=method,
                                         headers={"Content-Type": content_type + "; charset=utf-8",
                                                  "User-Agent": "vnkg (kg load sparql)"})
            if self.scheme:
                req.add_unredirected_header("Authorization", self._authorization(req))
            try:
                with self.opener.open(req, timeout=self.timeout) as resp:
                    return resp.read()
            except urllib.error.HTTPError as exc:
                if exc.code == 401 and attempt == 0 and self._learn(exc.headers):
                    continue
                raise self._http_error(exc, method) from exc
            except urllib.error.URLError as exc:
                raise self._unreachable(exc.reason) from exc
            except (TimeoutError, socket.timeout, ConnectionError) as exc:
                raise self._unreachable(exc) from exc
        raise AssertionError("unreachable: the loop returns or raises")

    def _learn(self, headers) -> bool:
        """Take the scheme from a 401's challenges; True when a retry can succeed."""
        if not self.user:
            return False
        offers = headers.get_all("WWW-Authenticate") or []
        digest = next((o for o in offers if o.lower().startswith("digest ")), None)
        if digest:
            chal = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(digest[7:])))
            retry = self.scheme != "digest" or chal.get("stale", "").lower() == "true"
            self.scheme, self.challenge = "digest", chal
            return retry
        if any(o.lower().startswith("basic") for o in offers):
            retry = self.scheme != "basic"
            self.scheme = "basic"
            return retry
        return False

    def _authorization(self, req) -> str:
        if self.scheme == "basic":
            import base64

            token = base64.b64encode(f"{self.user}:{self.password}".encode("utf-8")).decode("ascii")
            return f"Basic {token}"
        return "Digest " + self._digest.get_authorization(req, self.challenge)

    def _unreachable(self, reason) -> StoreUnreachableError:
        if isinstance(reason, ConnectionRefusedError):
            what, hint = "connection refused", "is the store running, and are the host and port right?"
        elif isinstance(reason, (socket.timeout, TimeoutError)):
            what, hint = (f"no answer within {self.timeout:g} s",
                          "raise --timeout for very large batches, or lower --batch-size")
        elif isinstance(reason, socket.gaierror):
            what, hint = f"unknown host ({reason})", "check the host name in --endpoint"
        elif isinstance(reason, (BrokenPipeError, ConnectionResetError)):
            what, hint = (f"the store closed the connection ({reason})",
                          "it may limit request sizes: lower --batch-size; finished batches are not re-sent")
        else:
            what, hint = str(reason), "is the store running, and are the host and port right?"
        return StoreUnreachableError(self.endpoint, f"endpoint unreachable: {what}", hint=hint)

    def _http_error(self, exc: urllib.error.HTTPError, method: str) -> StoreError:
        code = exc.code
        message = _server_message(exc)
        said = f": {message}" if message else ""
        if code == 401:
            err: StoreError = StoreAuthError(
                self.endpoint, f"HTTP 401: the store wants credentials{said}" if not self.user
                else f"HTTP 401: the store refused user {self.user!r}{said}",
                hint="give --user NAME and --password-env VAR (VAR holding the password)")
        elif code == 403:
            err = StoreAuthError(self.endpoint, f"HTTP 403: not allowed to write{said}",
                                 hint="use a user with write rights (Virtuoso: dba, or grant SPARQL_UPDATE)")
        elif code == 404:
            err = StoreError(self.endpoint, f"HTTP 404: nothing at this path{said}",
                             hint=f"check the URL; {_HINT_PATHS}")
        elif code in _NOT_GSP:
            err = StoreError(self.endpoint, f"HTTP {code}: {method} is not accepted at this path{said}",
                             hint=_HINT_PATHS)
        elif any(w in message.lower() for w in ("permission", "not allowed", "security")):
            err = StoreAuthError(self.endpoint, f"HTTP {code}: the store refused the write{said}",
                                 hint="use an endpoint and user with write rights (Virtuoso: /sparql-auth or "
                                      "/sparql-graph-crud-auth as dba)")
        elif code >= 500:
            err = StoreError(self.endpoint, f"HTTP {code}: the store failed{said}")
        else:
            err = StoreError(self.endpoint, f"HTTP {code}: the store rejected the request{said}")
        err.status = code
        return err


def _server_message(exc: urllib.error.HTTPError, limit: int = 600) -> str:
    import re

    try:
        body = exc.read().decode("utf-8", "replace")
    except OSError:
        body = ""
    text = body
    if "html" in (exc.headers.get("Content-Type", "") if exc.headers else "").lower() \
            or body.lstrip().lower().startswith(("<!doctype html", "<html")):
        text = re.sub(r"(?is)<(script|style|title|head)\b.*?</\1>", " ", body)
        text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] + ("…" if len(text) > limit else "")
