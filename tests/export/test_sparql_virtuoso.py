"""`kg load sparql` against a real Virtuoso on 127.0.0.1: GSP and UPDATE, per build and per article,
twice, interrupted and resumed, and the errors a user meets."""
from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from kg.cli import main
from kg.errors import StoreAuthError, StoreError, StoreUnreachableError
from kg.export.quads import article_iris, build_graph_iri, partition_counts
from kg.export.source import read_graph
from kg.export.sparql_load import load_sparql

_names = itertools.count()
SMALL_TRIPLES = 169
VNKG = "https://w3id.org/vnkg/ontology#"


def fresh_graph_iri() -> str:
    return f"https://w3id.org/vnkg/id/graph/test-{next(_names)}"


@pytest.fixture
def small_graph(small_graph, tmp_path):
    """A copy of the small graph: a load keeps its progress file beside the graph it reads."""
    import shutil

    return Path(shutil.copy(small_graph, tmp_path / "graph_small.ttl"))


@pytest.fixture
def article_graphs(virtuoso, small_graph):
    """The small graph's article IRIs; graphs named by them are dropped after the test, so that later
    whole-build loads of the same articles do not meet them."""
    articles = list(article_iris(read_graph(small_graph)))
    yield articles
    virtuoso.drop(articles)


@pytest.fixture
def dba_password(monkeypatch, virtuoso):
    monkeypatch.setenv("VIRTUOSO_DBA_PASSWORD", virtuoso.password)
    return "VIRTUOSO_DBA_PASSWORD"


def kg_load(graph_file, endpoint, *extra, password_env="VIRTUOSO_DBA_PASSWORD") -> int:
    return main(["load", "sparql", str(graph_file), "--endpoint", endpoint, "--user", "dba",
                 "--password-env", password_env, *extra])


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_load_twice_gives_the_same_triple_count(virtuoso, small_graph, dba_password, protocol):
    endpoint = virtuoso.gsp if protocol == "gsp" else virtuoso.update
    graph = fresh_graph_iri()
    assert kg_load(small_graph, endpoint, "--graph", graph, "--protocol", protocol) == 0
    assert virtuoso.count(graph) == SMALL_TRIPLES
    assert kg_load(small_graph, endpoint, "--graph", graph, "--protocol", protocol) == 0
    assert virtuoso.count(graph) == SMALL_TRIPLES


def test_loaded_graph_answers_queries_with_vietnamese_text(virtuoso, small_graph, dba_password):
    graph = fresh_graph_iri()
    assert kg_load(small_graph, virtuoso.gsp, "--graph", graph) == 0
    rows = virtuoso.select(f"""PREFIX vnkg: <{VNKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?name ?start WHERE {{ GRAPH <{graph}> {{
          ?v a vnkg:Visit ; vnkg:visitor ?p ; vnkg:destination ?c ; vnkg:startDate ?start .
          ?p rdfs:label ?name . ?c rdfs:label "Lào"@vi }} }}""")
    assert rows == [{"name": "Lương Cường", "start": "2025-04-24"}]
    met = virtuoso.select(f"""PREFIX vnkg: <{VNKG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?a ?b WHERE {{ GRAPH <{graph}> {{ ?x vnkg:metWith ?y . ?x rdfs:label ?a . ?y rdfs:label ?b }} }}
        ORDER BY ?a""")
    assert [(r["a"], r["b"]) for r in met] == [("Phạm Minh Chính", "Sonexay Siphandone"),
                                              ("Sonexay Siphandone", "Phạm Minh Chính")]


def test_default_graph_iri_is_derived_from_the_build(virtuoso, small_graph, dba_password, tmp_path):
    import shutil

    build = tmp_path / "output"
    build.mkdir()
    shutil.copy(small_graph, build / "graph.ttl")
    assert kg_load(build, virtuoso.gsp) == 0
    assert virtuoso.count(build_graph_iri(read_graph(small_graph))) == SMALL_TRIPLES
    assert sorted(p.name for p in build.iterdir()) == ["graph.ttl"]  # no progress file left behind


@pytest.mark.parametrize("protocol", ["gsp", "update"])
def test_per_article_graphs_hold_each_article_and_entities_apart(virtuoso, small_graph, dba_password, protocol,
                                                                article_graphs):
    endpoint = virtuoso.gsp if protocol == "gsp" else virtuoso.update
    build = fresh_graph_iri()
    assert kg_load(small_graph, endpoint, "--graph", build, "--per-article", "--protocol", protocol) == 0
    expected = {g or build: n for g, n in partition_counts(read_graph(small_graph)).items()}
    for graph, n in expected.items():
        assert virtuoso.count(graph) == n, graph
    assert kg_load(small_graph, endpoint, "--graph", build, "--per-article", "--protocol", protocol) == 0
    assert {g: virtuoso.count(g) for g in expected} == expected


def test_generated_graph_in_batches_twice(virtuoso, generated_graph, dba_password):
    graph = fresh_graph_iri()
    source = read_graph(generated_graph)
    assert kg_load(generated_graph, virtuoso.update, "--graph", graph, "--protocol", "update") == 0
    assert virtuoso.count(graph) == len(source)
    report = load_sparql(source, virtuoso.gsp, graph_iri=graph, protocol="gsp", user="dba",
                         password=virtuoso.password, batch_size=10_000)
    assert report.batches_sent == -(-len(source) // 10_000)
    assert virtuoso.count(graph) == len(source)


def test_interrupted_load_resumes_without_resending(virtuoso, small_graph, tmp_path):
    source = read_graph(small_graph)
    graph = fresh_graph_iri()
    state = tmp_path / "state.json"
    sent = []

    def interrupt_after_three(batch):
        sent.append(batch.key)
        if len(sent) == 3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        load_sparql(source, virtuoso.update, graph_iri=graph, protocol="update", user="dba",
                    password=virtuoso.password, batch_size=40, state_path=state, after_batch=interrupt_after_three)
    assert state.exists()
    assert 0 < virtuoso.count(graph) < SMALL_TRIPLES
    resumed = []
    report = load_sparql(source, virtuoso.update, graph_iri=graph, protocol="update", user="dba",
                         password=virtuoso.password, batch_size=40, state_path=state,
                         after_batch=lambda b: resumed.append(b.key))
    assert report.batches_skipped == 3 and not set(resumed) & set(sent)
    assert len(sent) + len(resumed) == 1 + -(-SMALL_TRIPLES // 40)  # DROP + INSERT batches, each sent once
    assert virtuoso.count(graph) == SMALL_TRIPLES
    assert not state.exists()


def test_unreachable_endpoint_is_named(small_graph, closed_port):
    endpoint = f"http://127.0.0.1:{closed_port}/sparql-graph-crud-auth"
    with pytest.raises(StoreUnreachableError) as err:
        load_sparql(read_graph(small_graph), endpoint, protocol="gsp", timeout=5)
    assert endpoint in str(err.value) and "connection refused" in str(err.value)


def test_wrong_password_is_a_401_message(virtuoso, small_graph):
    with pytest.raises(StoreAuthError, match="HTTP 401: the store refused user 'dba'"):
        load_sparql(read_graph(small_graph), virtuoso.gsp, protocol="gsp", user="dba", password="wrong")


def test_no_credentials_says_to_give_them(virtuoso, small_graph):
    with pytest.raises(StoreAuthError, match="HTTP 401: the store wants credentials.*--user"):
        load_sparql(read_graph(small_graph), virtuoso.gsp, protocol="gsp")


def test_update_without_rights_reports_the_server_message(virtuoso, small_graph):
    # Virtuoso's anonymous /sparql endpoint refuses writes and says why.
    with pytest.raises(StoreAuthError) as err:
        load_sparql(read_graph(small_graph), virtuoso.base + "/sparql", protocol="update")
    message = str(err.value)
    assert "HTTP 500: the store refused the write: Virtuoso 42000" in message
    assert "DROP SILENT GRAPH <https://w3id.org/vnkg/id/graph/" in message and "/sparql-auth" in message


def test_wrong_path_names_the_usual_endpoints(virtuoso, small_graph, capsys, dba_password):
    code = kg_load(small_graph, virtuoso.base + "/no-such-graph-store", "--protocol", "gsp")
    assert code == 2
    err = capsys.readouterr().err
    # Virtuoso answers 501 Not Implemented for a PUT to a path it has no handler for
    assert "/no-such-graph-store" in err and "HTTP 501" in err
    assert "this is Virtuoso" in err and "/sparql-graph-crud-auth" in err and "/sparql-auth" in err


def test_auto_falls_back_to_update_and_says_both_failed_when_neither_works(virtuoso, small_graph):
    with pytest.raises(StoreError, match="neither protocol worked"):
        load_sparql(read_graph(small_graph), virtuoso.base + "/no-such-endpoint", protocol="auto", user="dba",
                    password=virtuoso.password)


@pytest.mark.parametrize("extra", [["--protocol", "gsp"], []])
def test_virtuoso_query_endpoint_is_named_within_seconds(virtuoso, small_graph, capsys, dba_password, extra):
    """Virtuoso never answers a PUT to /sparql; the load must not wait out --timeout to say so."""
    import time

    started = time.monotonic()
    code = kg_load(small_graph, virtuoso.base + "/sparql", "--timeout", "120", *extra)
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2 and elapsed < 20, (elapsed, err)
    assert "PUT is not accepted at this path (it allows GET, HEAD, OPTIONS, POST, TRACE)" in err
    assert "this is Virtuoso: load through /sparql-graph-crud-auth" in err and "/sparql-auth" in err
    assert "unreachable" not in err


@pytest.mark.parametrize("per_article", [False, True])
def test_load_prints_the_graph_iris_to_query(virtuoso, small_graph, dba_password, capsys, per_article,
                                             article_graphs):
    graph = fresh_graph_iri()
    assert kg_load(small_graph, virtuoso.gsp, "--graph", graph, *(["--per-article"] if per_article else [])) == 0
    out = capsys.readouterr().out
    if per_article:
        assert f"entities: <{graph}>" in out
        assert f"articles: {len(article_graphs)} graphs named by the articles' IRIs: <{article_graphs[0]}>" in out
    else:
        assert f"graph: <{graph}>" in out and f"FROM <{graph}>" in out
    # the printed IRIs are the ones that hold the triples
    shown = [graph] + (article_graphs if per_article else [])
    assert sum(virtuoso.count(g) for g in shown) >= SMALL_TRIPLES


def test_whole_build_after_per_article_load_stops_until_replace(virtuoso, small_graph, dba_password, capsys,
                                                                article_graphs):
    """Mixing the two layouts would count every fact twice in a query over all graphs."""
    build = build_graph_iri(read_graph(small_graph))
    virtuoso.drop([build])
    assert kg_load(small_graph, virtuoso.gsp, "--per-article") == 0
    per_article = {g: virtuoso.count(g) for g in [build, *article_graphs]}
    capsys.readouterr()

    assert kg_load(small_graph, virtuoso.gsp) == 2
    err = capsys.readouterr().err
    assert "holds the per-article graphs of this build" in err and "--replace" in err
    assert f"<{article_graphs[0]}>" in err or any(f"<{a}>" in err for a in article_graphs)
    assert {g: virtuoso.count(g) for g in per_article} == per_article  # nothing was changed

    assert kg_load(small_graph, virtuoso.gsp, "--replace") == 0
    assert f"removed {len(article_graphs)} per-article graphs" in capsys.readouterr().out
    assert virtuoso.count(build) == SMALL_TRIPLES
    assert all(virtuoso.count(a) == 0 for a in article_graphs)
    # over every graph a load of this build may have written, each visit is counted once
    graphs = " ".join(f"<{g}>" for g in [build, *article_graphs])
    rows = virtuoso.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {graphs} }} "
                           f"GRAPH ?g {{ ?v a <{VNKG}Visit> }} }}")
    assert int(rows[0]["n"]) == 2
    virtuoso.drop([build])


def test_update_protocol_replaces_per_article_graphs_too(virtuoso, small_graph, dba_password, article_graphs):
    graph = fresh_graph_iri()
    assert kg_load(small_graph, virtuoso.update, "--graph", graph, "--per-article", "--protocol", "update") == 0
    assert kg_load(small_graph, virtuoso.update, "--graph", graph, "--protocol", "update") == 2
    assert kg_load(small_graph, virtuoso.update, "--graph", graph, "--protocol", "update", "--replace") == 0
    assert virtuoso.count(graph) == SMALL_TRIPLES and all(virtuoso.count(a) == 0 for a in article_graphs)


def test_per_article_after_whole_build_leaves_no_duplicate(virtuoso, small_graph, dba_password, article_graphs):
    graph = fresh_graph_iri()
    assert kg_load(small_graph, virtuoso.gsp, "--graph", graph) == 0
    assert kg_load(small_graph, virtuoso.gsp, "--graph", graph, "--per-article") == 0
    # the build graph now holds the entity descriptions only: each triple is in one graph or in its articles'
    expected = partition_counts(read_graph(small_graph))
    assert virtuoso.count(graph) == expected[None]


def test_virtuoso_asks_for_digest_and_the_load_answers_it(virtuoso, small_graph, dba_password):
    """The credentials go by HTTP Digest (httpx's DigestAuth): Virtuoso offers nothing else at its -auth paths."""
    import httpx

    with httpx.Client(trust_env=False, timeout=30) as client:
        challenge = client.options(virtuoso.gsp).headers.get_list("www-authenticate")
    assert challenge and all(c.lower().startswith("digest ") for c in challenge)
    graph = fresh_graph_iri()
    report = load_sparql(read_graph(small_graph), virtuoso.gsp, graph_iri=graph, protocol="gsp", user="dba",
                         password=virtuoso.password, batch_size=50)
    assert report.batches_sent == 4 and virtuoso.count(graph) == SMALL_TRIPLES
