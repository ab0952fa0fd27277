"""Upload a graph to a triplestore: SPARQL 1.1 Graph Store Protocol, or SPARQL UPDATE.

GSP (`--protocol gsp`): the first batch of each target graph is PUT (which replaces the
graph), the following ones POSTed (appended), as N-Triples, to ENDPOINT?graph=IRI.
UPDATE (`--protocol update`): `DROP SILENT GRAPH <g>` then `INSERT DATA { GRAPH <g> {...} }`
in batches (1,000 triples by default; a batch the store refuses as too large is split).
`auto` (the default) uses GSP and falls back to UPDATE at the same URL when the endpoint
answers that it does not do GSP (405, 415, 501, or an OPTIONS answer without PUT).

Either way a load replaces the target graphs, so loading twice gives the same store.
A state file records the batches done; when a load is interrupted, running the same
command again sends only what is left. The state file is removed once a load completes.

Targets: one named graph per build (the IRI from quads.build_graph_iri, or --graph), or
with per_article=True one graph per article (quads.partitioned) plus the build graph for
the entity descriptions. A whole-build load into a store that still holds the
per-article graphs of the same build (from an earlier --per-article load) would count
every fact twice: it stops and says so, unless `replace=True` removes them first.

HTTP goes through httpx: Basic or Digest authentication (whichever the store asks for,
httpx's DigestAuth doing the Digest part), and a deadline on the whole of each request
(connecting, sending, waiting, reading), so a store that answers one byte at a time
cannot hold a load past --timeout. Before the first write, an OPTIONS request (answered
within seconds) says whether the path takes the method at all: a query endpoint such as
Virtuoso's /sparql, which never answers a PUT, is named as such at once.

Batches are read from the source's sorted lines as they are sent: memory holds one
batch, whatever the graph's size.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import itertools
import json
import logging
import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import MissingDependencyError, StoreAuthError, StoreError, StoreUnreachableError
from kg.export import quads
from kg.export.files import write_text
from kg.export.source import SourceGraph

log = logging.getLogger(__name__)

PROTOCOLS = ("auto", "gsp", "update")
# Virtuoso's SPARQL compiler refuses an INSERT DATA of much more than 1,000 triples ("generated SQL
# text has exceeded 10000 lines"); larger requests that a store refuses as too big are split in two.
DEFAULT_BATCH = {"gsp": 100_000, "update": 1_000}
PROBE_TIMEOUT = 10.0
"""Seconds a store has to answer the first, empty request (OPTIONS) before it is called unresponsive."""
DROPS_PER_REQUEST = 200
_TOO_BIG = ("exceeded", "memory exhausted", "too large", "too long", "payload", "entity too large")
_NOT_GSP = (405, 415, 501)
_HINT_PATHS = ("GSP endpoints: Virtuoso /sparql-graph-crud-auth, GraphDB /repositories/ID/rdf-graphs/service, "
               "Fuseki /DATASET/data, Oxigraph /store; UPDATE endpoints: Virtuoso /sparql-auth, "
               "GraphDB /repositories/ID/statements, Fuseki /DATASET/update, Oxigraph /update")
_HINT_VIRTUOSO = ("this is Virtuoso: load through /sparql-graph-crud-auth (Graph Store Protocol) or /sparql-auth "
                  "(SPARQL UPDATE), with --user dba")


@dataclass(frozen=True)
class Batch:
    """One request: `method` is PUT or POST (GSP), DROP or INSERT (UPDATE); `size` triples from `start`."""

    key: str
    graph: str
    method: str
    start: int = 0
    size: int = 0


@dataclass
class SparqlLoadReport:
    endpoint: str
    protocol: str
    build_graph: str = ""
    per_article: bool = False
    graphs: int = 0  # named graphs written
    triples: int = 0  # triples in them (a fact of two articles counts in both)
    article_graphs: list[str] = field(default_factory=list)  # the first few, to show
    batches_sent: int = 0
    batches_skipped: int = 0
    triples_sent: int = 0
    stale_removed: int = 0
    state_file: str = ""


def load_sparql(source: SourceGraph, endpoint: str, *, graph_iri: str | None = None, per_article: bool = False,
                protocol: str = "auto", user: str | None = None, password: str | None = None,
                batch_size: int | None = None, state_path: str | Path | None = None, timeout: float = 120.0,
                replace: bool = False, progress: bool = False,
                after_batch: Callable[[Batch], None] | None = None) -> SparqlLoadReport:
    """Load the graph into the store at `endpoint`; resumable through the state file (see module docstring).

    `timeout` bounds each request as a whole, in seconds.
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"unknown protocol {protocol!r}; expected one of {', '.join(PROTOCOLS)}")
    parsed = urllib.parse.urlsplit(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise StoreError(endpoint, "not an HTTP(S) endpoint URL",
                         hint="e.g. http://localhost:8890/sparql-graph-crud-auth")
    if timeout <= 0:
        raise StoreError(endpoint, f"--timeout must be more than 0 seconds, not {timeout:g}")
    loader = _Loader(source, endpoint, graph_iri or quads.build_graph_iri(source), per_article, protocol,
                     user, password, batch_size, state_path, timeout, replace, progress, after_batch)
    return _run(loader.run())


def default_state_path(source: SourceGraph, endpoint: str, build_graph: str, per_article: bool) -> Path:
    """<graph folder>/.kg-load/<hash of endpoint and target>.json"""
    key = hashlib.sha256("\n".join([endpoint, build_graph, str(per_article)]).encode("utf-8")).hexdigest()[:16]
    return source.path.parent / ".kg-load" / f"{key}.json"


def _run(coro):
    """Run a coroutine to the end, also from code that already runs an event loop (a notebook)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    import concurrent.futures

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


class _Loader:
    def __init__(self, source, endpoint, build_graph, per_article, protocol, user, password, batch_size,
                 state_path, timeout, replace, progress, after_batch):
        self.source = source
        self.endpoint = endpoint
        self.build_graph = build_graph
        self.per_article = per_article
        self.protocol = protocol
        self.user = user
        self.password = password
        self.batch_size = batch_size
        self.state_file = Path(state_path) if state_path else default_state_path(
            source, endpoint, build_graph, per_article)
        self.explicit_state = state_path is not None
        self.timeout = timeout
        self.replace = replace
        self.progress = progress
        self.after_batch = after_batch

    async def run(self) -> SparqlLoadReport:
        chosen = "gsp" if self.protocol == "auto" else self.protocol
        report = SparqlLoadReport(self.endpoint, chosen, self.build_graph, self.per_article,
                                  state_file=str(self.state_file))
        async with _Http(self.endpoint, self.user, self.password, self.timeout) as http:
            try:
                await self._load(http, chosen, report)
            except StoreError as exc:
                status = getattr(exc, "status", None)
                if not (self.protocol == "auto" and chosen == "gsp" and status in _NOT_GSP
                        and report.batches_sent == 0):
                    raise
                log.warning("%s does not accept Graph Store Protocol requests (%s); using SPARQL UPDATE",
                            self.endpoint, exc.problem)
                chosen = report.protocol = "update"
                try:
                    await self._load(http, chosen, report)
                except StoreError as exc2:
                    hint = _HINT_VIRTUOSO if http.virtuoso else _HINT_PATHS
                    raise StoreError(self.endpoint, f"neither protocol worked: Graph Store Protocol: {exc.problem}; "
                                                    f"SPARQL UPDATE: {exc2.problem}", hint=hint) from exc2
        self.state_file.unlink(missing_ok=True)
        if not self.explicit_state:
            with contextlib.suppress(OSError):
                self.state_file.parent.rmdir()  # only when no other load is under way
        log.info("%s: %d batches sent, %d already done, %d triples in %d graphs", self.endpoint,
                 report.batches_sent, report.batches_skipped, report.triples, report.graphs)
        return report

    async def _load(self, http: _Http, protocol: str, report: SparqlLoadReport) -> None:
        await http.probe("PUT" if protocol == "gsp" else "POST")
        if not self.per_article:
            await self._remove_article_graphs(http, protocol, report)
        await self._send_all(http, protocol, report)

    # -- what to send ------------------------------------------------------------------------------------------

    def _graphs(self) -> Iterator[tuple[str, Iterator[str]]]:
        """(target graph, its sorted N-Triples lines) in load order."""
        if not self.per_article:
            yield self.build_graph, self.source.lines()
            return
        for graph, lines in quads.partitioned(self.source):
            yield (graph or self.build_graph), lines

    def _units(self, protocol: str) -> Iterator[tuple[Batch, list[str]]]:
        """Every request of the load with its triples, in order; the keys depend only on the content."""
        size = self.batch_size or DEFAULT_BATCH[protocol]
        for graph, lines in self._graphs():
            if protocol == "update":
                yield Batch(_key(graph, "DROP", []), graph, "DROP"), []
            start = 0
            while True:
                chunk = list(itertools.islice(lines, size))
                if not chunk and start > 0:
                    break
                method = "INSERT" if protocol == "update" else ("PUT" if start == 0 else "POST")
                yield Batch(_key(graph, f"{method}{start}", chunk), graph, method, start, len(chunk)), chunk
                start += len(chunk)
                if len(chunk) < size:
                    break

    async def _send_all(self, http: _Http, protocol: str, report: SparqlLoadReport) -> None:
        from tqdm import tqdm

        keys = [batch.key for batch, _chunk in self._units(protocol)]
        plan = hashlib.sha256("\n".join(keys).encode()).hexdigest()
        done = _read_state(self.state_file, self.endpoint, protocol, plan)
        report.graphs = report.triples = 0
        report.article_graphs = []
        last_graph = None
        with tqdm(total=len(keys), desc="kg load sparql", unit="request", disable=not self.progress) as bar:
            for batch, chunk in self._units(protocol):
                if batch.graph != last_graph:
                    last_graph = batch.graph
                    report.graphs += 1
                    if batch.graph != self.build_graph and len(report.article_graphs) < 3:
                        report.article_graphs.append(batch.graph)
                report.triples += len(chunk)
                bar.update()
                if batch.key in done:
                    report.batches_skipped += 1
                    continue
                await http.send(batch, chunk)
                done.add(batch.key)
                report.batches_sent += 1
                report.triples_sent += len(chunk)
                _write_state(self.state_file, self.endpoint, protocol, plan, keys, done)
                if self.after_batch:
                    self.after_batch(batch)

    async def _remove_article_graphs(self, http: _Http, protocol: str, report: SparqlLoadReport) -> None:
        """Stop (or, with replace, remove them) when per-article graphs of this build are in the store."""
        first = next(quads.article_iris(self.source), None)
        if first is None or first == self.build_graph:
            return
        present = await http.graph_exists(first, protocol)
        if present is False or (present is None and not self.replace):
            return
        if not self.replace:
            raise StoreError(self.endpoint,
                             f"the store holds the per-article graphs of this build (e.g. <{first}>), from an earlier "
                             f"--per-article load; beside the whole build in <{self.build_graph}> every fact would "
                             "be counted twice, so nothing was loaded",
                             hint="add --replace to remove the per-article graphs and load the whole build, "
                                  "or load with --per-article to update them")
        if protocol == "gsp":
            for article in quads.article_iris(self.source):
                await http.delete_graph(article)
                report.stale_removed += 1
        else:
            batch: list[str] = []
            for article in quads.article_iris(self.source):
                batch.append(f"DROP SILENT GRAPH <{article}>")
                report.stale_removed += 1
                if len(batch) >= DROPS_PER_REQUEST:
                    await http.update(" ;\n".join(batch))
                    batch = []
            if batch:
                await http.update(" ;\n".join(batch))
        log.info("%s: removed %d per-article graphs of this build", self.endpoint, report.stale_removed)


def _read_state(path: Path, endpoint: str, protocol: str, plan: str) -> set[str]:
    if not path.is_file():
        return set()
    try:
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("%s is not a readable load state; starting the load from the beginning", path)
        return set()
    if (state.get("endpoint"), state.get("protocol"), state.get("plan")) != (endpoint, protocol, plan):
        log.info("%s records another load (other graph, endpoint or protocol); starting afresh", path)
        return set()
    done = set(state.get("done", []))
    log.info("resuming: %d batches already loaded", len(done))
    return done


def _write_state(path: Path, endpoint: str, protocol: str, plan: str, keys: list[str], done: set[str]) -> None:
    state = {"endpoint": endpoint, "protocol": protocol, "plan": plan, "done": [k for k in keys if k in done]}
    try:
        write_text(path, json.dumps(state, indent=1) + "\n")
    except OSError as exc:
        raise StoreError(str(path), f"cannot record the load's progress: {exc}",
                         hint="give a writable file with --state") from exc


def _key(graph: str, step: str, lines: list[str]) -> str:
    digest = hashlib.sha256()
    for line in lines:
        digest.update(line.encode("utf-8"))
    return f"{graph} {step} {digest.hexdigest()[:16]}"


def _httpx():
    try:
        import httpx
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise MissingDependencyError("httpx", "kg load sparql") from exc
    return httpx


def _store_auth(user: str, password: str):
    """Basic or Digest, whichever the store's 401 asks for; Digest through httpx.DigestAuth.

    Once the store has named its scheme, credentials go with every request: a store that
    answers 401 before reading a large body would otherwise cut the upload off.
    """
    httpx = _httpx()

    class StoreAuth(httpx.Auth):
        def __init__(self):
            self.digest = httpx.DigestAuth(user, password)
            self.basic = httpx.BasicAuth(user, password)
            self.scheme: str | None = None

        def auth_flow(self, request):
            if self.scheme == "basic":
                yield from self.basic.auth_flow(request)
                return
            flow = self.digest.auth_flow(request)
            outgoing = next(flow)
            while True:
                response = yield outgoing
                offers = [o.lower() for o in response.headers.get_list("www-authenticate")]
                if any(o.startswith("digest ") for o in offers):
                    self.scheme = "digest"
                try:
                    outgoing = flow.send(response)
                except StopIteration:
                    break
            if response.status_code == 401 and self.scheme is None and any(o.startswith("basic") for o in offers):
                self.scheme = "basic"
                yield from self.basic.auth_flow(request)

    return StoreAuth()


class _Http:
    """httpx with the store's authentication, a deadline per request, and errors that say what to do."""

    PRIME_ABOVE = 64 * 1024

    def __init__(self, endpoint: str, user: str | None, password: str | None, timeout: float):
        self.endpoint = endpoint
        self.user = user
        self.password = password or ""
        self.timeout = timeout
        self.virtuoso = False
        self.auth = _store_auth(user, self.password) if user else None
        self.client = None

    async def __aenter__(self) -> _Http:
        httpx = _httpx()
        host = urllib.parse.urlsplit(self.endpoint).hostname or ""
        local = host in ("localhost", "::1") or host.startswith("127.")
        # A local store is never behind a proxy; elsewhere the usual proxy variables apply.
        self.client = httpx.AsyncClient(auth=self.auth, timeout=httpx.Timeout(self.timeout), trust_env=not local,
                                        headers={"User-Agent": "vnkg (kg load sparql)"})
        return self

    async def __aexit__(self, *exc) -> None:
        await self.client.aclose()

    # -- requests of the load -------------------------------------------------------------------------------------

    async def probe(self, method: str) -> None:
        """Ask (OPTIONS) whether the path takes `method`; raise at once when it plainly does not."""
        response = await self._request("OPTIONS", self.endpoint, None, None, deadline=min(self.timeout, PROBE_TIMEOUT),
                                       what="an OPTIONS request, the first and smallest of the load")
        if response.status_code == 401:
            raise self._http_error(response, "OPTIONS")
        allow = response.headers.get("allow")
        if response.is_success and allow:
            allowed = {m.strip().upper() for m in allow.split(",")}
            if method not in allowed:
                err = StoreError(self.endpoint, f"{method} is not accepted at this path (it allows "
                                                f"{', '.join(sorted(allowed))})",
                                 hint=_HINT_VIRTUOSO if self.virtuoso else _HINT_PATHS)
                err.status = 405
                raise err

    async def send(self, batch: Batch, lines: list[str]) -> None:
        g = batch.graph
        if batch.method in ("PUT", "POST"):
            url = self._with_graph(g)
            body = "".join(lines).encode("utf-8")
            if self.auth is not None and self.auth.scheme is None and len(body) > self.PRIME_ABOVE:
                await self._checked(batch.method, url, b"", "application/n-triples")  # learn the scheme first
            await self._checked(batch.method, url, body, "application/n-triples")
        elif batch.method == "DROP":
            await self.update(f"DROP SILENT GRAPH <{g}>")
        else:
            await self._insert(g, lines)

    async def update(self, text: str) -> None:
        await self._checked("POST", self.endpoint, text.encode("utf-8"), "application/sparql-update")

    async def _insert(self, graph: str, lines: list[str]) -> None:
        body = b"INSERT DATA { GRAPH <" + graph.encode() + b"> {\n" + "".join(lines).encode("utf-8") + b"} }"
        try:
            await self._checked("POST", self.endpoint, body, "application/sparql-update")
        except StoreError as exc:
            too_big = getattr(exc, "status", None) == 413 or (
                getattr(exc, "status", None) in (400, 500) and any(w in str(exc).lower() for w in _TOO_BIG))
            if not too_big or len(lines) < 2:
                raise
            # Re-inserting a half that went through adds nothing: RDF graphs are sets.
            log.info("%s refused %d triples in one INSERT DATA; sending two halves", self.endpoint, len(lines))
            half = len(lines) // 2
            await self._insert(graph, lines[:half])
            await self._insert(graph, lines[half:])

    async def graph_exists(self, graph: str, protocol: str) -> bool | None:
        """Whether the store holds `graph` (None: it cannot say)."""
        if protocol == "gsp":
            for method in ("HEAD", "GET"):  # Virtuoso answers HEAD with 501
                response = await self._request(method, self._with_graph(graph), None, None,
                                               accept="application/n-triples")
                if response.status_code == 404:
                    return False
                if response.is_success:
                    return True
            return None
        query = f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
        response = await self._request("POST", self.endpoint, urllib.parse.urlencode({"query": query}).encode(),
                                       "application/x-www-form-urlencoded",
                                       accept="application/sparql-results+json")
        try:
            return bool(response.json()["boolean"]) if response.is_success else None
        except (ValueError, KeyError, TypeError):
            return None

    async def delete_graph(self, graph: str) -> None:
        response = await self._request("DELETE", self._with_graph(graph), None, None)
        if not response.is_success and response.status_code != 404:
            raise self._http_error(response, "DELETE")

    def _with_graph(self, graph: str) -> str:
        parts = urllib.parse.urlsplit(self.endpoint)
        query = (parts.query + "&" if parts.query else "") + urllib.parse.urlencode({"graph": graph})
        return urllib.parse.urlunsplit(parts._replace(query=query))

    # -- one request -----------------------------------------------------------------------------------------------

    async def _checked(self, method: str, url: str, body: bytes, content_type: str):
        response = await self._request(method, url, body, content_type)
        if not response.is_success:
            raise self._http_error(response, method)
        return response

    async def _request(self, method: str, url: str, body: bytes | None, content_type: str | None, *,
                       deadline: float | None = None, what: str | None = None, accept: str | None = None):
        httpx = _httpx()
        limit = deadline or self.timeout
        headers = {}
        if content_type:
            headers["Content-Type"] = content_type + "; charset=utf-8"
        if accept:
            headers["Accept"] = accept
        try:
            async with asyncio.timeout(limit):
                response = await self.client.request(method, url, content=body, headers=headers)
        except TimeoutError as exc:
            raise self._unreachable(f"no answer within {limit:g} s" + (f" to {what}" if what else ""),
                                    "raise --timeout for very large batches, or lower --batch-size"
                                    if deadline is None else "is this the store's address, and is it working?") from exc
        except httpx.TimeoutException as exc:
            raise self._unreachable(f"no answer within {limit:g} s",
                                    "raise --timeout for very large batches, or lower --batch-size") from exc
        except httpx.ConnectError as exc:
            raise self._connect_error(exc) from exc
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError) as exc:
            raise self._unreachable(f"the store closed the connection ({exc or type(exc).__name__})",
                                    "it may limit request sizes: lower --batch-size; finished batches are "
                                    "not re-sent") from exc
        except httpx.HTTPError as exc:
            raise self._unreachable(str(exc) or type(exc).__name__,
                                    "is the store running, and are the host and port right?") from exc
        if "virtuoso" in response.headers.get("server", "").lower():
            self.virtuoso = True
        return response

    def _unreachable(self, what: str, hint: str) -> StoreUnreachableError:
        return StoreUnreachableError(self.endpoint, f"endpoint unreachable: {what}", hint=hint)

    def _connect_error(self, exc) -> StoreUnreachableError:
        import socket

        chain, cause = [], exc
        while cause is not None and len(chain) < 20:
            chain.append(cause)
            cause = cause.__cause__ or cause.__context__
        text = " ".join(str(c) for c in chain).lower()
        if any(isinstance(c, ConnectionRefusedError) for c in chain) or "refused" in text:
            return self._unreachable("connection refused", "is the store running, and are the host and port right?")
        if any(isinstance(c, socket.gaierror) for c in chain) or "name or service" in text or "nodename" in text:
            return self._unreachable(f"unknown host ({exc})", "check the host name in --endpoint")
        return self._unreachable(str(exc) or type(exc).__name__,
                                 "is the store running, and are the host and port right?")

    def _http_error(self, response, method: str) -> StoreError:
        code = response.status_code
        message = _server_message(response)
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
                             hint=_HINT_VIRTUOSO if self.virtuoso else _HINT_PATHS)
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


def _server_message(response, limit: int = 600) -> str:
    body = response.content.decode("utf-8", "replace") if response.content else ""
    text = body
    if "html" in response.headers.get("content-type", "").lower() \
            or body.lstrip().lower().startswith(("<!doctype html", "<html")):
        text = re.sub(r"(?is)<(script|style|title|head)\b.*?</\1>", " ", body)
        text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:limit] + ("…" if len(text) > limit else "")
