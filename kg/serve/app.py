"""The SPARQL endpoint as a WSGI application: protocol, limits, refusals, logging.

Routes: `/` query page, `/sparql` SPARQL 1.1 Protocol query operation (GET, POST
form, POST application/sparql-query; service description when there is no query),
`/update` SPARQL Update (only with --allow-update and the bearer token), `/health`,
`/examples`, `/graph` (the interactive view), and the page's static files. Clients
get status codes and one-line messages, never a traceback; every query is logged
once on `kg.serve.access`. Every request carries a deadline counted from its arrival
(`kg.deadline` in the environ, set by the server): the routes that wait (queries,
updates, the view) answer 503 when it passes. Queries that nest too deeply for the
SPARQL parser get 400 before they reach a worker.
"""
from __future__ import annotations

import hmac
import json
import logging
import re
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import parse_qs

from kg.serve import formats, page, sparql
from kg.serve.engine import Engine, QueryRequest, Reply, text_reply
from kg.serve.examples import Example

log = logging.getLogger(__name__)
access_log = logging.getLogger("kg.serve.access")

REASONS = {200: "OK", 204: "No Content", 303: "See Other", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
            413: "Content Too Large", 415: "Unsupported Media Type", 500: "Internal Server Error",
            429: "Too Many Requests", 503: "Service Unavailable"}
BLOCKING_ROUTES = frozenset({"/sparql", "/update", "/graph"})

_SD = "http://www.w3.org/ns/sparql-service-description#"
_FORMATS_NS = "http://www.w3.org/ns/formats/"


@dataclass
class EndpointSettings:
    """Limits and switches of a running endpoint."""

    timeout: float = 10.0
    max_rows: int = 10_000
    max_request_bytes: int = 1_000_000
    cors_origins: tuple[str, ...] = ()
    update_token: str | None = None       # updates are allowed only when set
    store_kind: str = "memory"
    source: str = ""
    examples: list[Example] = field(default_factory=list)
    max_query_memory_mb: int = 1024

    @property
    def allow_update(self) -> bool:
        return bool(self.update_token)


_PROLOGUE = re.compile(r"^(?:\s*(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>))+\s*", re.IGNORECASE)


def _snippet(text: str, limit: int = 160) -> str:
    """The query for the log: comment lines and PREFIX/BASE declarations dropped, on one line, cut."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    flat = _PROLOGUE.sub("", " ".join(body.split()))
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


class EndpointApp:
    """WSGI callable serving one Engine."""

    def __init__(self, engine: Engine, settings: EndpointSettings):
        from kg.serve.view import GraphView

        self.engine = engine
        self.settings = settings
        self.started = time.time()
        self.queries = 0
        self.updates = 0
        self.view = GraphView(engine.source, max_memory_mb=max(2048, settings.max_query_memory_mb))

    def close(self) -> None:
        self.view.close()

    def busy_reply(self, environ: dict) -> tuple[int, list[tuple[str, str]], bytes]:
        """What a request still waiting for a thread at its deadline gets."""
        limit = self.settings.timeout
        access_log.info("503 %.1fms busy %s", limit * 1000, environ.get("PATH_INFO"))
        body = (f"the server is busy: the request could not be answered within the {limit:g} s time limit; "
                f"retry shortly\n").encode("utf-8")
        return 503, [("Content-Type", "text/plain; charset=utf-8"), ("Retry-After", "2"),
                     ("Content-Length", str(len(body)))], body

    def _deadline(self, environ: dict) -> tuple[float, float]:
        """(arrival, deadline) of a request, as time.monotonic() values."""
        arrival = environ.get("kg.arrival") or time.monotonic()
        return arrival, environ.get("kg.deadline") or arrival + self.settings.timeout

    # --- WSGI plumbing ---------------------------------------------------------

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        try:
            reply = self._dispatch(environ, method)
        except Exception:  # noqa: BLE001 - the client gets a message, the log gets the traceback
            log.exception("error while answering %s %s", method, environ.get("PATH_INFO"))
            reply = text_reply(500, "internal server error; the server log has the details")
        headers = {"Content-Type": reply.content_type, "X-Content-Type-Options": "nosniff"}
        headers.update(reply.headers)
        headers.update(self._cors_headers(environ, method))
        body = b"" if method == "HEAD" or reply.status == 204 else reply.body
        if reply.status == 204:
            headers.pop("Content-Type", None)
        else:
            headers["Content-Length"] = str(len(reply.body))
        start_response(f"{reply.status} {REASONS.get(reply.status, '')}".rstrip(), list(headers.items()))
        return [body]

    def _cors_headers(self, environ: dict, method: str) -> dict[str, str]:
        origin = environ.get("HTTP_ORIGIN")
        allowed = self.settings.cors_origins
        if not origin or not allowed or ("*" not in allowed and origin not in allowed):
            return {}
        headers = {"Access-Control-Allow-Origin": "*" if "*" in allowed else origin,
                   "Access-Control-Expose-Headers": "X-Result-Truncated, X-Result-Limit"}
        if "*" not in allowed:
            headers["Vary"] = "Origin"
        if method == "OPTIONS":
            headers.update({"Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                            "Access-Control-Allow-Headers": "Accept, Content-Type, Authorization",
                            "Access-Control-Max-Age": "600"})
        return headers

    def _dispatch(self, environ: dict, method: str) -> Reply:
        path = environ.get("PATH_INFO", "/") or "/"
        routes: dict[str, tuple[tuple[str, ...], Callable[[dict, str], Reply]]] = {
            "/": (("GET", "HEAD"), self._page),
            "/index.html": (("GET", "HEAD"), self._page),
            "/sparql": (("GET", "HEAD", "POST"), self._query),
            "/update": (("POST",), self._update),
            "/health": (("GET", "HEAD"), self._health),
            "/examples": (("GET", "HEAD"), self._examples),
            "/graph": (("GET", "HEAD"), self._graph_view),
        }
        if path in routes:
            methods, handler = routes[path]
        elif path.startswith(("/assets/", "/vendor/")):
            methods, handler = ("GET", "HEAD"), self._asset
        else:
            return text_reply(404, f"no such page: {path} (the endpoint is /sparql, the query page /)")
        allow = ", ".join(methods + ("OPTIONS",))
        if method == "OPTIONS":
            return Reply(204, headers={"Allow": allow})
        if method not in methods:
            return text_reply(405, f"{method} is not allowed on {path} (allowed: {allow})", Allow=allow)
        return handler(environ, method)

    # --- pages -----------------------------------------------------------------

    def _page(self, environ: dict, method: str) -> Reply:
        selected = parse_qs(environ.get("QUERY_STRING", "")).get("example", [None])[0]
        body = page.render_page(self.settings.examples, selected)
        return Reply(200, body, "text/html; charset=utf-8", {"Content-Security-Policy": page.CSP,
                                                              "Cache-Control": "no-cache"})

    def _asset(self, environ: dict, method: str) -> Reply:
        found = page.asset(environ.get("PATH_INFO", ""))
        if found is None:
            return text_reply(404, f"no such file: {environ.get('PATH_INFO')}")
        body, content_type = found
        return Reply(200, body, content_type, {"Cache-Control": "no-cache"})

    def _graph_view(self, environ: dict, method: str) -> Reply:
        """The interactive view of the served graph (the same page `kg viz` writes), drawn once per version."""
        start, deadline = self._deadline(environ)
        found = self.view.page((self.engine.generation.number, self.updates), deadline)
        if found is None:
            return text_reply(503, "the graph view is still being drawn (a large graph takes a while); "
                                   "retry in a few seconds", **{"Retry-After": "5"})
        status, body = found
        if status != 200:
            return Reply(status, body)
        return Reply(200, body, "text/html; charset=utf-8", {"Cache-Control": "no-cache"})

    def _health(self, environ: dict, method: str) -> Reply:
        generation = self.engine.generation
        status = {"status": "ok", "triples": self.engine.triples, "store": self.settings.store_kind,
                  "in_memory": self.engine.in_memory or self.engine.source.store_dir is None,
                  "source": self.settings.source, "uptime_s": round(time.time() - self.started, 1),
                  "loaded": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(generation.loaded_at)),
                  "version": generation.number, "reloading": self.engine.reloading,
                  "workers": self.engine.size, "worker_restarts": self.engine.restarts, "queries": self.queries,
                  "update": self.settings.allow_update}
        return Reply(200, json.dumps(status, ensure_ascii=False).encode("utf-8"), "application/json")

    def _examples(self, environ: dict, method: str) -> Reply:
        data = [e.as_json() for e in self.settings.examples]
        return Reply(200, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    # --- SPARQL protocol ---------------------------------------------------------

    def _read_params(self, environ: dict, method: str, raw_type: str) -> tuple[dict[str, list[str]], str | None] | Reply:
        """(parameters, raw body text for `raw_type`) of a request, or an error reply."""
        limit = self.settings.max_request_bytes
        query_string = environ.get("QUERY_STRING", "")
        if len(query_string) > limit:
            return text_reply(413, f"request too large: the URL is over --max-request-bytes={limit} bytes; "
                                   f"send the query by POST")
        try:
            params = parse_qs(query_string, keep_blank_values=True, errors="strict")
        except (UnicodeDecodeError, ValueError):
            return text_reply(400, "the URL parameters are not valid UTF-8 percent-encoding")
        if method != "POST":
            return params, None
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return text_reply(400, "invalid Content-Length")
        if length > limit:
            return text_reply(413, f"request too large: {length} bytes is over --max-request-bytes={limit}")
        body = environ["wsgi.input"].read(length) if length else environ["wsgi.input"].read(limit + 1)
        if len(body) > limit:
            return text_reply(413, f"request too large: over --max-request-bytes={limit} bytes")
        content_type = environ.get("CONTENT_TYPE", "").split(";")[0].strip().lower()
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return text_reply(400, "the request body is not UTF-8")
        if content_type == "application/x-www-form-urlencoded":
            try:
                for key, values in parse_qs(text, keep_blank_values=True, errors="strict").items():
                    params.setdefault(key, []).extend(values)
            except (UnicodeDecodeError, ValueError):
                return text_reply(400, "the form body is not valid UTF-8 percent-encoding")
            return params, None
        if content_type == raw_type:
            return params, text
        return text_reply(415, f"unsupported Content-Type '{content_type}': send application/x-www-form-urlencoded "
                               f"or {raw_type}")

    def _query(self, environ: dict, method: str) -> Reply:
        start, deadline = self._deadline(environ)
        if method == "POST" and environ.get("CONTENT_TYPE", "").lower().startswith("application/sparql-update"):
            return self._logged(self._update_refused_here(), start, "")
        read = self._read_params(environ, method, "application/sparql-query")
        if isinstance(read, Reply):
            return self._logged(read, start, "")
        params, raw = read
        if raw is None and "update" in params:
            return self._logged(self._update_refused_here(), start, "".join(params["update"]))
        queries = params.get("query", [])
        if raw is not None:
            queries = [raw] + queries
        if not queries:
            return self._service_description(environ)
        if len(queries) > 1:
            return self._logged(text_reply(400, "give exactly one query"), start, "")
        text = queries[0]
        shape, too_deep = sparql.check(text)
        if too_deep:
            reply = text_reply(400, f"query refused: {too_deep}")
        elif shape.uses_service:
            reply = text_reply(403, "SERVICE (federated query) is disabled: this endpoint never fetches other "
                                    "endpoints; query this graph only")
        elif shape.is_update:
            reply = self._update_refused_here()
        else:
            request = QueryRequest(text=text, accept=environ.get("HTTP_ACCEPT"),
                                   format=(params.get("format") or params.get("output") or [None])[0],
                                   default_graphs=tuple(params.get("default-graph-uri", [])),
                                   named_graphs=tuple(params.get("named-graph-uri", [])),
                                   max_rows=self.settings.max_rows)
            reply = self._run(request, deadline)
        return self._logged(reply, start, text)

    def _update_refused_here(self) -> Reply:
        if self.settings.allow_update:
            return text_reply(403, "SPARQL Update is not accepted on the query endpoint: POST it to /update "
                                   "(application/sparql-update) with the bearer token")
        return text_reply(403, "this endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, DROP, "
                               "CREATE...) is refused; start `kg serve` with --allow-update --update-token-env VAR "
                               "to allow it")

    def _update(self, environ: dict, method: str) -> Reply:
        start, deadline = self._deadline(environ)
        if not self.settings.allow_update:
            return self._logged(self._update_refused_here(), start, "")
        auth = environ.get("HTTP_AUTHORIZATION", "")
        if not auth.startswith("Bearer "):
            return self._logged(text_reply(401, "updates need 'Authorization: Bearer <token>'",
                                           **{"WWW-Authenticate": 'Bearer realm="vnkg"'}), start, "")
        if not hmac.compare_digest(auth[len("Bearer "):].strip().encode(), self.settings.update_token.encode()):
            return self._logged(text_reply(403, "wrong update token"), start, "")
        read = self._read_params(environ, method, "application/sparql-update")
        if isinstance(read, Reply):
            return self._logged(read, start, "")
        params, raw = read
        updates = ([raw] if raw is not None else []) + params.get("update", [])
        if len(updates) != 1:
            return self._logged(text_reply(400, "give exactly one update (application/sparql-update body "
                                                "or an 'update' form field)"), start, "")
        text = updates[0]
        shape, too_deep = sparql.check(text)
        if too_deep:
            reply = text_reply(400, f"update refused: {too_deep}")
        elif shape.uses_service or shape.uses_load:
            reply = text_reply(403, "SERVICE and LOAD are disabled: this endpoint never fetches a URL")
        else:
            reply = self._run(QueryRequest(text=text, update=True), deadline)
            if reply.status == 204:
                self.updates += 1
        return self._logged(reply, start, text)

    def _run(self, request: QueryRequest, deadline: float) -> Reply:
        self.queries += 1
        reply = self.engine.run(request, deadline, limit_s=self.settings.timeout)
        if reply.status == 500:
            log.error("query worker error: %s", reply.headers.pop("X-Worker-Error", "unknown"))
            reply = text_reply(500, "internal error while answering the query; the server log has the details")
        return reply

    def _logged(self, reply: Reply, start: float, text: str) -> Reply:
        ms = (time.monotonic() - start) * 1000
        extra = " truncated" if reply.headers.get("X-Result-Truncated") else ""
        access_log.info("%d %.1fms%s %s", reply.status, ms, extra, _snippet(text) or "-")
        return reply

    def _service_description(self, environ: dict) -> Reply:
        import pyoxigraph as ox

        fmt = formats.negotiate(environ.get("HTTP_ACCEPT"), formats.GRAPH_FORMATS)
        if fmt is None:
            return text_reply(406, "the service description is available as " +
                              ", ".join(f.media_type for f in formats.GRAPH_FORMATS))
        if fmt.key == "html":
            return Reply(303, b"", headers={"Location": "/"})
        host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
        endpoint = ox.NamedNode(f"{environ.get('wsgi.url_scheme', 'http')}://{host}/sparql")
        sd = lambda name: ox.NamedNode(_SD + name)  # noqa: E731
        rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
        dataset, graph = ox.BlankNode("dataset"), ox.BlankNode("default")
        triples = [ox.Triple(endpoint, rdf_type, sd("Service")),
                   ox.Triple(endpoint, sd("endpoint"), endpoint),
                   ox.Triple(endpoint, sd("supportedLanguage"), sd("SPARQL11Query")),
                   ox.Triple(endpoint, sd("defaultDataset"), dataset),
                   ox.Triple(dataset, rdf_type, sd("Dataset")),
                   ox.Triple(dataset, sd("defaultGraph"), graph),
                   ox.Triple(graph, rdf_type, sd("Graph"))]
        if self.settings.allow_update:
            triples.append(ox.Triple(endpoint, sd("supportedLanguage"), sd("SPARQL11Update")))
        for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                     "Turtle", "N-Triples", "JSON-LD", "RDF_XML"):
            triples.append(ox.Triple(endpoint, sd("resultFormat"), ox.NamedNode(_FORMATS_NS + name)))
        if self.engine.triples is not None:
            triples.append(ox.Triple(graph, ox.NamedNode("http://rdfs.org/ns/void#triples"),
                                     ox.Literal(str(self.engine.triples),
                                                datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))))
        return Reply(200, formats.write_graph(fmt, triples, self.engine.prefixes), fmt.content_type)

