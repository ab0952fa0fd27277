"""Load a graph into a running Neo4j through the official `neo4j` driver.

Sends exactly the statements of import.cypher (kg.export.cypher), with the rows as a
parameter instead of inlined: constraints first, then one write transaction per batch.
MERGE on the node IRI makes a second load change nothing. Failures are turned into
messages that say what to check: the address, the credentials, the user's rights.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field

from kg.errors import MissingDependencyError, StoreAuthError, StoreError, StoreUnreachableError
from kg.export import cypher
from kg.export.propgraph import PropertyGraph

log = logging.getLogger(__name__)

BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass
class Neo4jLoadReport:
    """What the server reported doing, summed over all statements."""

    statements: int = 0
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    constraints_added: int = 0
    counts: dict = field(default_factory=dict)


def load_neo4j(graph: PropertyGraph, *, uri: str, user: str | None, password: str | None,
               database: str | None = None, batch_size: int = 1000, constraints: bool = True,
               timeout: float = 15.0) -> Neo4jLoadReport:
    """MERGE the graph into the Neo4j at `uri` (bolt://, neo4j://, +s variants)."""
    try:
        import neo4j
        from neo4j import GraphDatabase
    except ImportError as exc:  # pragma: no cover - depends on the installation
        raise MissingDependencyError("neo4j", "kg load neo4j") from exc

    scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
    if scheme not in BOLT_SCHEMES:
        raise StoreError(uri, "not a Neo4j Bolt address",
                         hint="use bolt://HOST:7687 or neo4j://HOST:7687 (neo4j+s:// for TLS)")
    _probe(uri, timeout)
    auth = (user, password or "") if user else None
    try:
        driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=timeout,
                                      connection_acquisition_timeout=timeout)
    except (ValueError, neo4j.exceptions.ConfigurationError) as exc:
        raise StoreError(uri, f"not a Neo4j address: {exc}",
                         hint="use bolt://HOST:7687 or neo4j://HOST:7687 (neo4j+s:// for TLS)") from exc
    report = Neo4jLoadReport(counts=graph.counts())
    step = "connecting"
    try:
        with driver:
            driver.verify_connectivity()
            with driver.session(database=database) as session:
                if constraints:
                    step = "creating the uniqueness constraints"
                    for stmt in cypher.schema_statements(graph, "neo4j"):
                        summary = session.run(stmt.text).consume()
                        report.constraints_added += summary.counters.constraints_added
                        report.statements += 1
                step = "writing nodes and relationships"
                for stmt in cypher.data_statements(graph, batch_size):
                    summary = session.execute_write(_run, stmt.text, stmt.rows)
                    report.statements += 1
                    report.nodes_created += summary.counters.nodes_created
                    report.relationships_created += summary.counters.relationships_created
                    report.properties_set += summary.counters.properties_set
    except Exception as exc:
        err = explain_neo4j_error(exc, uri=uri, user=user, database=database, step=step)
        if err is exc:
            raise
        raise err from exc
    log.info("neo4j %s: %d statements, %d nodes and %d relationships created", uri, report.statements,
             report.nodes_created, report.relationships_created)
    return report


def _probe(uri: str, timeout: float) -> None:
    """Open and close a TCP connection first: the driver's routing errors hide a plain 'refused'."""
    import socket
    import urllib.parse

    parts = urllib.parse.urlsplit(uri)
    host, port = parts.hostname or "localhost", parts.port or 7687
    where = f"Neo4j at {uri}"
    try:
        with socket.create_connection((host, port), timeout=timeout):
            pass
    except ConnectionRefusedError as exc:
        raise StoreUnreachableError(where, "cannot connect (connection refused)",
                                    hint="is Neo4j running, and is the Bolt port (7687 by default) right?") from exc
    except socket.gaierror as exc:
        raise StoreUnreachableError(where, f"unknown host {host!r} ({exc})", hint="check the address") from exc
    except (TimeoutError, socket.timeout) as exc:
        raise StoreUnreachableError(where, f"no answer within {timeout:g} s",
                                    hint="is the host reachable, and is a firewall dropping the port?") from exc
    except OSError as exc:
        raise StoreUnreachableError(where, f"cannot connect ({exc})") from exc


def _run(tx, text: str, rows: list):
    return tx.run(text, rows=rows).consume()


def explain_neo4j_error(exc: BaseException, *, uri: str, user: str | None, database: str | None,
                        step: str = "connecting") -> BaseException:
    """A StoreError saying what went wrong and what to do, for an exception the driver raised."""
    import neo4j.exceptions as nx

    where = f"Neo4j at {uri}" + (f" (database {database})" if database else "")
    text = str(exc).strip() or type(exc).__name__
    if isinstance(exc, nx.AuthError) or getattr(exc, "code", "") == "Neo.ClientError.Security.Unauthorized":
        return StoreAuthError(where, f"the server refused the credentials of user {user!r}",
                              hint="check --user and the variable named by --password-env")
    if isinstance(exc, nx.Forbidden) or "Security.Forbidden" in str(getattr(exc, "code", "")):
        if step.startswith("creating"):
            return StoreAuthError(where, f"user {user!r} may not create constraints: {text}",
                                  hint="ask an admin to run the CREATE CONSTRAINT lines of import.cypher "
                                       "(or GRANT CONSTRAINT MANAGEMENT), then load with --no-constraints")
        return StoreAuthError(where, f"user {user!r} may not write here: {text}",
                              hint="grant the user write access to the database, or use another user")
    if isinstance(exc, nx.ServiceUnavailable) or isinstance(exc, (ConnectionError, OSError)):
        if "handshake" in text.lower():
            return StoreUnreachableError(where, "something answers there but does not speak Bolt",
                                         hint="give the Bolt port (7687 by default), not the HTTP one (7474)")
        reason = "connection refused" if "refused" in text.lower() else text
        return StoreUnreachableError(where, f"cannot connect ({reason})",
                                     hint="is Neo4j running, and is the Bolt port (7687 by default) right?")
    if isinstance(exc, nx.ClientError) and "DatabaseNotFound" in str(getattr(exc, "code", "")):
        return StoreError(where, f"no such database: {text}",
                          hint="create it (CREATE DATABASE name) or leave out --database")
    if isinstance(exc, nx.Neo4jError):
        return StoreError(where, f"the server failed while {step}: {text}")
    if isinstance(exc, nx.DriverError):
        return StoreUnreachableError(where, f"the driver failed while {step}: {text}",
                                     hint="check the address; is it a Neo4j Bolt port?")
    return exc
