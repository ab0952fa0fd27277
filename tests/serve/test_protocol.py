"""The SPARQL 1.1 Protocol as clients see it: SPARQLWrapper as a third-party client, urllib for raw status codes."""
from __future__ import annotations

import io
import json
import logging
import socket
import threading
import time
import urllib.parse

import pytest
import rdflib
from rdflib.compare import isomorphic
from serve_helpers import http, query_url
from SPARQLWrapper import CSV, GET, JSON, JSONLD, POST, POSTDIRECTLY, RDFXML, TSV, TURTLE, URLENCODED, XML, SPARQLWrapper

from kg.synthetic import build_graph

PREFIXES = """PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX person: <https://w3id.org/vnkg/id/person/>
"""
PEOPLE = PREFIXES + 'SELECT ?name WHERE { ?p a vnkg:Person ; rdfs:label ?name } ORDER BY ?name'
PEOPLE_NAMES = ["Lương Cường", "Phạm Minh Chính", "Sonexay Siphandone", "Thongloun Sisoulith"]
NETWORK = PREFIXES + "CONSTRUCT { ?p vnkg:metWith ?q ; rdfs:label ?n } WHERE { ?p vnkg:metWith ?q ; rdfs:label ?n }"
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def wrapper(endpoint: str, query: str, fmt: str, method: str = GET, request: str = URLENCODED) -> SPARQLWrapper:
    client = SPARQLWrapper(endpoint + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    client.setRequestMethod(request)
    return client


@pytest.mark.parametrize("method,request_method", [(GET, URLENCODED), (POST, URLENCODED), (POST, POSTDIRECTLY)])
def test_select_json_with_sparqlwrapper_over_every_method(endpoint, method, request_method):
    result = wrapper(endpoint, PEOPLE, JSON, method, request_method).query().convert()
    assert result["head"]["vars"] == ["name"]
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == PEOPLE_NAMES
    assert all(b["name"]["xml:lang"] == "vi" for b in result["results"]["bindings"])


def test_select_xml_with_sparqlwrapper(endpoint):
    document = wrapper(endpoint, PEOPLE, XML).query().convert()   # an xml.dom.minidom document
    literals = [node.firstChild.data for node in document.getElementsByTagName("literal")]
    assert literals == PEOPLE_NAMES


@pytest.mark.parametrize("fmt,separator,header", [(CSV, ",", "name"), (TSV, "\t", "?name")])
def test_select_csv_and_tsv_with_sparqlwrapper(endpoint, fmt, separator, header):
    text = wrapper(endpoint, PEOPLE, fmt).query().convert().decode("utf-8")
    lines = text.strip().splitlines()
    assert lines[0] == header
    values = [line.strip('"').split('"@')[0] for line in lines[1:]]
    assert values == PEOPLE_NAMES


@pytest.mark.parametrize("accept,expected_type", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv"),
    ("text/tab-separated-values", "text/tab-separated-values"),
    ("application/json", "application/sparql-results+json"),
    ("*/*", "application/sparql-results+json"),
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
])
def test_select_content_negotiation(endpoint, accept, expected_type):
    reply = http(query_url(endpoint, PEOPLE), headers={"Accept": accept})
    assert reply.status == 200
    assert reply.header("Content-Type").split(";")[0] == expected_type
    assert "Phạm Minh Chính" in reply.text


@pytest.mark.parametrize("query,answer", [
    (PREFIXES + "ASK { person:luong-cuong vnkg:visited ?c }", True),
    (PREFIXES + "ASK { person:luong-cuong vnkg:metWith ?c }", False),
])
@pytest.mark.parametrize("fmt", [JSON, XML])
def test_ask_answers(endpoint, query, answer, fmt):
    result = wrapper(endpoint, query, fmt).query().convert()
    if fmt == JSON:
        assert result["boolean"] is answer
    else:
        assert result.getElementsByTagName("boolean")[0].firstChild.data == str(answer).lower()


@pytest.mark.parametrize("fmt", [TURTLE, RDFXML, JSONLD])
def test_construct_formats_with_sparqlwrapper_give_the_same_graph(endpoint, fmt):
    result = wrapper(endpoint, NETWORK, fmt).query().convert()
    graph = result if isinstance(result, rdflib.Graph) else rdflib.Graph().parse(data=result, format="turtle")
    expected = rdflib.Graph().parse(data=http(query_url(endpoint, NETWORK), headers={"Accept": "application/n-triples"}).text,
                                    format="nt")
    assert len(expected) == 4
    assert isomorphic(graph, expected)
    names = {str(o) for o in graph.objects(predicate=rdflib.RDFS.label)}
    assert names == {"Phạm Minh Chính", "Sonexay Siphandone"}


@pytest.mark.parametrize("accept,expected_type,rdflib_format", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_construct_and_describe_negotiation(endpoint, accept, expected_type, rdflib_format):
    for query in (NETWORK, PREFIXES + "DESCRIBE person:luong-cuong"):
        reply = http(query_url(endpoint, query), headers={"Accept": accept})
        assert reply.status == 200
        assert reply.header("Content-Type").split(";")[0] == expected_type
        graph = rdflib.Graph().parse(data=reply.body, format=rdflib_format)
        assert (None, rdflib.RDFS.label, rdflib.Literal("Phạm Minh Chính" if query is NETWORK else "Lương Cường",
                                                       lang="vi")) in graph


def test_raw_methods_agree(endpoint):
    get = http(query_url(endpoint, PEOPLE))
    form = http(endpoint + "/sparql", method="POST", data=urllib.parse.urlencode({"query": PEOPLE}).encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded"})
    direct = http(endpoint + "/sparql", method="POST", data=PEOPLE.encode("utf-8"),
                  headers={"Content-Type": "application/sparql-query"})
    assert get.status == form.status == direct.status == 200
    assert get.json() == form.json() == direct.json()


@pytest.fixture(scope="module")
def dataset_endpoint(tmp_path_factory):
    from kg.serve.server import ServeConfig, Server

    path = tmp_path_factory.mktemp("dataset") / "data.trig"
    path.write_text("""@prefix ex: <http://example.org/> .
ex:s ex:p "default" .
ex:g1 { ex:s ex:p "one" . }
ex:g2 { ex:s ex:p "two" . }
""", encoding="utf-8")
    server = Server(ServeConfig(graph=path, port=0, workers=1)).start()
    yield server.url
    server.stop()


@pytest.mark.parametrize("params,query,expected", [
    ({}, "SELECT ?o WHERE { ?s ?p ?o }", ["default"]),
    ({"default-graph-uri": "http://example.org/g1"}, "SELECT ?o WHERE { ?s ?p ?o }", ["one"]),
    ({"default-graph-uri": ["http://example.org/g1", "http://example.org/g2"]}, "SELECT ?o WHERE { ?s ?p ?o }",
     ["one", "two"]),
    ({"default-graph-uri": "http://example.org/g2"}, "SELECT ?o FROM <http://example.org/g1> WHERE { ?s ?p ?o }",
     ["two"]),
    ({"named-graph-uri": "http://example.org/g2"}, "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", ["two"]),
    ({}, "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", ["one", "two"]),
])
def test_default_and_named_graph_uri(dataset_endpoint, params, query, expected):
    url = f"{dataset_endpoint}/sparql?" + urllib.parse.urlencode({"query": query, **params}, doseq=True)
    reply = http(url)
    assert reply.status == 200, reply.text
    assert sorted(b["o"]["value"] for b in reply.json()["results"]["bindings"]) == expected


def test_graph_uri_parameters_work_with_sparqlwrapper(dataset_endpoint):
    client = wrapper(dataset_endpoint, "SELECT ?o WHERE { ?s ?p ?o }", JSON)
    client.addDefaultGraph("http://example.org/g2")
    result = client.query().convert()
    assert [b["o"]["value"] for b in result["results"]["bindings"]] == ["two"]


def test_service_description(endpoint):
    reply = http(endpoint + "/sparql", headers={"Accept": "text/turtle"})
    assert reply.status == 200
    assert reply.header("Content-Type").startswith("text/turtle")
    graph = rdflib.Graph().parse(data=reply.text, format="turtle")
    sd = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
    service = rdflib.URIRef(endpoint + "/sparql")
    assert (service, rdflib.RDF.type, sd.Service) in graph
    assert (service, sd.endpoint, service) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Query) in graph
    assert (service, sd.supportedLanguage, sd.SPARQL11Update) not in graph
    assert (service, sd.resultFormat, rdflib.URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON")) in graph
    triples = next(graph.objects(predicate=rdflib.URIRef("http://rdfs.org/ns/void#triples")))
    assert int(triples) == 169


def test_browser_asking_for_the_endpoint_is_sent_to_the_query_page(endpoint):
    reply = http(endpoint + "/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert reply.status == 200       # urllib followed the 303
    assert "<html" in reply.text.lower()


def test_malformed_query_is_400_with_the_parser_message(endpoint):
    reply = http(query_url(endpoint, "SELECT ?x WHERE { ?x ?y }"))
    assert reply.status == 400
    assert reply.text.startswith("SPARQL query syntax error: error at 1:")
    assert "expected" in reply.text


def test_unsatisfiable_accept_is_406(endpoint):
    assert http(query_url(endpoint, PEOPLE), headers={"Accept": "image/png"}).status == 406
    assert http(query_url(endpoint, NETWORK), headers={"Accept": "text/csv"}).status == 406


def test_request_too_large_is_413(start_server):
    server = start_server(max_request_bytes=2000)
    big = PEOPLE + "#" + "x" * 3000
    posted = http(server.url + "/sparql", method="POST", data=big.encode(),
                  headers={"Content-Type": "application/sparql-query"})
    assert posted.status == 413
    assert http(query_url(server.url, big)).status == 413
    assert http(query_url(server.url, PEOPLE)).status == 200


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405(endpoint, method):
    reply = http(endpoint + "/sparql", method=method, data=b"")
    assert reply.status == 405
    assert "GET" in reply.header("Allow") and "POST" in reply.header("Allow")


def test_unsupported_body_type_is_415(endpoint):
    reply = http(endpoint + "/sparql", method="POST", data=b"{}", headers={"Content-Type": "application/json"})
    assert reply.status == 415


UPDATES = [
    'PREFIX ex: <http://example.org/> INSERT DATA { ex:a ex:b "c" }',
    "DELETE WHERE { ?s ?p ?o }",
    "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL",
    "DROP GRAPH <http://example.org/g>",
    "CREATE GRAPH <http://example.org/g>",
    "prefix x: <http://example.org/> with x:g delete { ?s ?p ?o } where { ?s ?p ?o }",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_with_403(endpoint, update):
    as_query = http(query_url(endpoint, update))
    as_form = http(endpoint + "/sparql", method="POST", data=urllib.parse.urlencode({"update": update}).encode(),
                   headers={"Content-Type": "application/x-www-form-urlencoded"})
    as_body = http(endpoint + "/sparql", method="POST", data=update.encode(),
                   headers={"Content-Type": "application/sparql-update"})
    to_update = http(endpoint + "/update", method="POST", data=update.encode(),
                     headers={"Content-Type": "application/sparql-update"})
    for reply in (as_query, as_form, as_body, to_update):
        assert reply.status == 403
        assert "read-only" in reply.text
    assert int(http(query_url(endpoint, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")).json()
               ["results"]["bindings"][0]["n"]["value"]) == 169


@pytest.fixture
def listener():
    """A TCP socket on 127.0.0.1 that records whether anything connected to it."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(5)
    sock.settimeout(0.2)
    seen: list[bytes] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            seen.append(conn.recv(1000))
            conn.close()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/sparql", seen
    stop.set()
    thread.join()
    sock.close()


@pytest.mark.parametrize("template", [
    "SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?a ?b ?c FILTER(?a<?b)SeRvIcE<{url}>{{ ?s ?p ?o }} }}",
    "# a comment with SERVICE\nSELECT * WHERE {{ BIND(<{url}> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ ?s ?p 'it''s' . SERVICE <{url}> {{ ?s ?p ?o }} }}",
])
def test_service_is_refused_and_never_fetched(endpoint, listener, template):
    url, seen = listener
    reply = http(query_url(endpoint, template.format(url=url)))
    assert reply.status == 403
    assert "SERVICE" in reply.text
    time.sleep(0.3)
    assert seen == []


@pytest.mark.parametrize("query", [
    PREFIXES + 'SELECT ?x WHERE { BIND("Dịch vụ / service / SERVICE" AS ?x) }',
    PREFIXES + "SELECT ?service WHERE { BIND(<http://example.org/SERVICE> AS ?service) } # SERVICE",
    "PREFIX service: <http://example.org/> SELECT ?x WHERE { BIND(service:SERVICE AS ?x) }",
    'SELECT ?x WHERE { BIND("""a "quoted" SERVICE""" AS ?x) }',
])
def test_the_word_service_outside_the_keyword_still_works(endpoint, query):
    reply = http(query_url(endpoint, query))
    assert reply.status == 200, reply.text
    assert len(reply.json()["results"]["bindings"]) == 1


def test_row_limit_truncates_and_says_so(start_server):
    server = start_server(max_rows=3)
    reply = http(query_url(server.url, "SELECT ?s WHERE { ?s ?p ?o }"))
    assert reply.status == 200
    assert len(reply.json()["results"]["bindings"]) == 3
    assert reply.header("X-Result-Truncated") == "true"
    assert reply.header("X-Result-Limit") == "3"
    construct = http(query_url(server.url, "CONSTRUCT WHERE { ?s ?p ?o }"), headers={"Accept": "application/n-triples"})
    assert len(construct.text.strip().splitlines()) == 3
    assert construct.header("X-Result-Truncated") == "true"
    small = http(query_url(server.url, PREFIXES + "SELECT ?p WHERE { ?p a vnkg:Meeting }"))
    assert small.header("X-Result-Truncated") is None


@pytest.fixture(scope="module")
def slow_graph(tmp_path_factory):
    return build_graph(tmp_path_factory.mktemp("slow") / "graph.ttl", 35)


def test_slow_query_gets_503_at_the_deadline_and_the_server_recovers(start_server, slow_graph):
    server = start_server(graph=slow_graph, timeout=1.0)
    started = time.monotonic()
    reply = http(query_url(server.url, CROSS_PRODUCT))
    elapsed = time.monotonic() - started
    assert reply.status == 503
    assert "1 s time limit" in reply.text
    assert elapsed < 3.0
    assert reply.header("Retry-After")
    deadline = time.monotonic() + 10
    while http(query_url(server.url, PREFIXES + "ASK { ?p a vnkg:Person }")).status != 200:
        assert time.monotonic() < deadline, "no fresh worker after the timeout"
        time.sleep(0.1)


def test_a_flood_of_slow_queries_cannot_exhaust_the_server(start_server, slow_graph):
    server = start_server(graph=slow_graph, timeout=1.0, workers=2)
    replies: list[int] = []
    started = time.monotonic()
    threads = [threading.Thread(target=lambda: replies.append(http(query_url(server.url, CROSS_PRODUCT)).status))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert replies == [503] * 6
    assert time.monotonic() - started < 4.0     # every client was freed near its own deadline
    deadline = time.monotonic() + 10
    while http(query_url(server.url, PREFIXES + "ASK { ?p a vnkg:Person }")).status != 200:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert len(server.engine.pids) == 2


def test_cors_is_off_by_default(endpoint):
    reply = http(query_url(endpoint, PEOPLE), headers={"Origin": "http://example.org"})
    assert reply.status == 200
    assert reply.header("Access-Control-Allow-Origin") is None


def test_cors_on_when_asked(start_server):
    server = start_server(cors=("http://localhost:3000",))
    allowed = http(query_url(server.url, PEOPLE), headers={"Origin": "http://localhost:3000"})
    assert allowed.header("Access-Control-Allow-Origin") == "http://localhost:3000"
    other = http(query_url(server.url, PEOPLE), headers={"Origin": "http://example.org"})
    assert other.header("Access-Control-Allow-Origin") is None
    preflight = http(server.url + "/sparql", method="OPTIONS", headers={
        "Origin": "http://localhost:3000", "Access-Control-Request-Method": "POST"})
    assert preflight.status == 204
    assert "POST" in preflight.header("Access-Control-Allow-Methods")
    star = start_server(cors=("*",))
    assert http(query_url(star.url, PEOPLE), headers={"Origin": "http://a.example"}).header(
        "Access-Control-Allow-Origin") == "*"


def test_health(endpoint):
    reply = http(endpoint + "/health")
    assert reply.status == 200
    health = reply.json()
    assert health["status"] == "ok"
    assert health["triples"] == 169
    assert health["store"] == "memory"
    assert health["uptime_s"] >= 0


def test_no_traceback_in_any_error_body(endpoint):
    requests = [
        query_url(endpoint, "SELECT ?x WHERE {"), query_url(endpoint, "INSERT DATA {}"),
        query_url(endpoint, PEOPLE, **{"default-graph-uri": "not an iri"}),
        endpoint + "/sparql?query=%ff%fe", endpoint + "/nowhere", endpoint + "/vendor/../../etc/passwd",
        query_url(endpoint, "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"),
    ]
    statuses = set()
    for url in requests:
        reply = http(url)
        statuses.add(reply.status)
        assert reply.status >= 400
        assert "Traceback" not in reply.text and 'File "' not in reply.text
    assert {400, 403, 404} <= statuses


def test_one_log_line_per_query(endpoint, caplog):
    with caplog.at_level(logging.INFO, logger="kg.serve.access"):
        http(query_url(endpoint, PEOPLE))
        http(query_url(endpoint, "SELECT nonsense"))
    lines = [r.getMessage() for r in caplog.records if r.name == "kg.serve.access"]
    assert len(lines) == 2
    assert lines[0].startswith("200 ") and "ms" in lines[0] and "SELECT ?name WHERE" in lines[0]
    assert lines[1].startswith("400 ")


@pytest.fixture
def update_server(start_server, monkeypatch):
    return start_server(allow_update=True, update_token="s3cret-token")


def test_update_needs_the_right_token(update_server):
    url = update_server.url
    insert = 'PREFIX vnkg: <https://w3id.org/vnkg/ontology#> INSERT DATA { <https://w3id.org/vnkg/id/person/x> a vnkg:Person }'
    headers = {"Content-Type": "application/sparql-update"}
    assert http(url + "/update", method="POST", data=insert.encode(), headers=headers).status == 401
    wrong = http(url + "/update", method="POST", data=insert.encode(),
                 headers={**headers, "Authorization": "Bearer wrong"})
    assert wrong.status == 403
    count = PREFIXES + "SELECT (COUNT(?p) AS ?n) WHERE { ?p a vnkg:Person }"
    assert http(query_url(url, count)).json()["results"]["bindings"][0]["n"]["value"] == "4"
    right = http(url + "/update", method="POST", data=insert.encode(),
                 headers={**headers, "Authorization": "Bearer s3cret-token"})
    assert right.status == 204
    assert http(query_url(url, count)).json()["results"]["bindings"][0]["n"]["value"] == "5"
    assert http(url + "/health").json()["triples"] == 170
    load = http(url + "/update", method="POST", data=b"LOAD <http://127.0.0.1:9/x.ttl>",
                headers={**headers, "Authorization": "Bearer s3cret-token"})
    assert load.status == 403
    assert http(query_url(url, insert)).status == 403   # still not on the query endpoint


def test_update_requires_a_token_to_start(small_graph):
    from kg.errors import ServeConfigError
    from kg.serve.server import ServeConfig, Server

    with pytest.raises(ServeConfigError, match="needs a token"):
        Server(ServeConfig(graph=small_graph, port=0, allow_update=True))


def test_json_results_are_valid_utf8_json(endpoint):
    reply = http(query_url(endpoint, PEOPLE))
    data = json.load(io.TextIOWrapper(io.BytesIO(reply.body), encoding="utf-8"))
    assert data["results"]["bindings"][1]["name"]["value"] == "Phạm Minh Chính"


@pytest.mark.parametrize("accept,parse", [
    ("application/sparql-results+xml", "xml"),
    ("application/rdf+xml", "xml"),
    ("application/sparql-results+json", "json"),
])
def test_control_characters_in_literals_keep_results_well_formed(start_server, tmp_path, accept, parse):
    import xml.dom.minidom

    graph = tmp_path / "odd.nt"
    graph.write_text('<http://e/a> <http://www.w3.org/2000/01/rdf-schema#label> "Thong\\u0001loun\\u007F \\uFFFE x\\u000B"@vi .\n',
                     encoding="utf-8")
    server = start_server(graph=graph)
    query = ("CONSTRUCT WHERE { ?s ?p ?o }" if "rdf" in accept else "SELECT ?o WHERE { ?s ?p ?o }")
    reply = http(query_url(server.url, query), headers={"Accept": accept})
    assert reply.status == 200
    if parse == "xml":
        document = xml.dom.minidom.parseString(reply.body)      # raises when not well-formed
        text = "".join(n.data for n in document.getElementsByTagName("literal" if "sparql" in accept else "rdfs:label")[0].childNodes)
        assert text == "Thong\ufffdloun\x7f \ufffd x\ufffd"
    else:
        assert reply.json()["results"]["bindings"][0]["o"]["value"] == "Thong\x01loun\x7f \ufffe x\x0b"


def test_queries_get_the_prefixes_the_rdf_writer_binds(tmp_path):
    """One prefix source: what a query may use is what graph.ttl is written with, base IRI included."""
    from rdflib import Graph

    from kg.rdf.namespaces import bind_prefixes
    from kg.serve.store import graph_prefixes, open_store, resolve_source

    base = "https://example.org/kg/"
    path = tmp_path / "g.ttl"
    bind_prefixes(Graph(), base).serialize(path, format="turtle")
    path.write_text(path.read_text() + f"<{base}person/a> a <https://w3id.org/vnkg/ontology#Person> .\n")
    bound = {prefix: str(ns) for prefix, ns in bind_prefixes(Graph(), base).namespaces()}
    source = resolve_source(path)
    prefixes = graph_prefixes(open_store(source), source)
    assert {p: prefixes[p] for p in bound if p in prefixes} == {p: bound[p] for p in bound if p in prefixes}
    assert prefixes["person"] == f"{base}person/" and prefixes["evidence"] == f"{base}evidence/"