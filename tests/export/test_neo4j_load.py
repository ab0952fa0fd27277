"""The driver loader's failures, with the real neo4j driver against real sockets on 127.0.0.1."""
from __future__ import annotations

import http.server
import threading

import neo4j.exceptions as nx
import pytest

from kg.cli import main
from kg.errors import StoreAuthError, StoreError, StoreUnreachableError
from kg.export import cypher
from kg.export.neo4j_load import explain_neo4j_error, load_neo4j
from kg.export.propgraph import to_property_graph
from kg.export.source import read_graph


@pytest.fixture
def small_model(small_graph):
    return to_property_graph(read_graph(small_graph))


def test_closed_port_says_connection_refused(small_model, closed_port):
    uri = f"bolt://127.0.0.1:{closed_port}"
    with pytest.raises(StoreUnreachableError) as err:
        load_neo4j(small_model, uri=uri, user="neo4j", password="secret", timeout=2)
    message = str(err.value)
    assert uri in message and "connection refused" in message and "Bolt port" in message


def test_cli_reports_refused_connection_and_exits_2(small_graph, monkeypatch, capsys, closed_port):
    monkeypatch.setenv("NEO4J_PASSWORD", "secret")
    port = closed_port
    code = main(["load", "neo4j", str(small_graph), "--uri", f"neo4j://127.0.0.1:{port}", "--timeout", "2"])
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("kg load: ") and f"127.0.0.1:{port}" in err and "connection refused" in err


def test_a_server_that_is_not_bolt_is_named_as_such(small_model):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), http.server.BaseHTTPRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(StoreUnreachableError, match="does not speak Bolt"):
            load_neo4j(small_model, uri=f"bolt://127.0.0.1:{server.server_address[1]}", user="neo4j",
                       password="x", timeout=1)
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687", "redis://127.0.0.1:6379"])
def test_non_bolt_addresses_are_refused_before_connecting(small_model, uri):
    with pytest.raises(StoreError, match="not a Neo4j Bolt address"):
        load_neo4j(small_model, uri=uri, user="neo4j", password="x")


def test_missing_password_variable_is_named(small_graph, monkeypatch, capsys):
    monkeypatch.delenv("VNKG_TEST_NO_SUCH_VAR", raising=False)
    code = main(["load", "neo4j", str(small_graph), "--uri", "bolt://127.0.0.1:7687",
                 "--password-env", "VNKG_TEST_NO_SUCH_VAR"])
    assert code == 2
    assert "VNKG_TEST_NO_SUCH_VAR" in capsys.readouterr().err


@pytest.mark.parametrize("exc, step, kind, words", [
    (nx.AuthError("The client is unauthorized due to authentication failure."), "connecting",
     StoreAuthError, ["refused the credentials", "'reader'", "--password-env"]),
    (nx.Forbidden("Schema operation 'create constraint' is not allowed for user 'reader'"),
     "creating the uniqueness constraints", StoreAuthError, ["may not create constraints", "--no-constraints"]),
    (nx.Forbidden("Write operations are not allowed for user 'reader'"), "writing nodes and relationships",
     StoreAuthError, ["may not write"]),
    (nx.ServiceUnavailable("Couldn't connect to 127.0.0.1:7687: Connection refused"), "connecting",
     StoreUnreachableError, ["connection refused"]),
])
def test_driver_errors_become_messages_that_say_what_to_do(exc, step, kind, words):
    err = explain_neo4j_error(exc, uri="bolt://127.0.0.1:7687", user="reader", database=None, step=step)
    assert isinstance(err, kind)
    assert "Neo4j at bolt://127.0.0.1:7687" in str(err)
    for word in words:
        assert word in str(err)


def test_driver_sends_the_script_statements_with_rows_as_parameter(small_model):
    """One source of truth: the driver's templates are the script's statements before inlining."""
    script = "".join(cypher.script(small_model, "neo4j", 1000))
    for stmt in cypher.data_statements(small_model, 1000):
        assert "$rows" in stmt.text and stmt.rows
        assert cypher.inline(stmt, "neo4j") + ";" in script
