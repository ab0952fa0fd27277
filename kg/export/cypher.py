"""The Cypher statements that load a property graph: one builder for import.cypher and the driver.

Every statement is a template over a `$rows` parameter:

    UNWIND $rows AS row
    MERGE (n:Person {uri: row.uri})
    SET n += row.props

The driver loader (neo4j_load.py) sends the template with `rows` as a parameter; the
script writer puts the same template in import.cypher with `$rows` replaced by the
literal list, so the script runs in cypher-shell with no `:param` set-up (which
cypher-shell, Browser and other clients spell differently). MERGE on the node IRI
(and on start, type, end for relationships) makes loading twice a no-op.

Dialects: "neo4j" (default) and "falkordb". FalkorDB needs two changes only: it has no
`CREATE CONSTRAINT ... IF NOT EXISTS` (unique constraints are made with the
GRAPH.CONSTRAINT command on an existing index, so the script creates the index with
`CREATE INDEX FOR (n:Person) ON (n.uri)`), and it spells a zoned date-time
`localdatetime(...)` instead of `datetime(...)`.
"""
from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from kg.export.propgraph import GraphModel

DIALECTS = ("neo4j", "falkordb")
DEFAULT_BATCH = 500
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class Statement:
    """A Cypher template; `rows` is the value of its `$rows` parameter (None for schema statements)."""

    text: str
    rows: list | None = None
    kind: str = "data"  # "schema", "nodes" or "rels"


def name(identifier: str) -> str:
    """A label, type or property key as Cypher writes it: bare when it can be, else in backticks."""
    return identifier if _IDENT.fullmatch(identifier) else "`" + identifier.replace("`", "``") + "`"


def schema_statements(graph: GraphModel, dialect: str = "neo4j") -> list[Statement]:
    """A uniqueness constraint (Neo4j) or an index (FalkorDB) on `uri` for every primary label."""
    _check(dialect)
    out = []
    for label in graph.primary_labels():
        if dialect == "neo4j":
            cname = "vnkg_" + re.sub(r"\W+", "_", label).lower() + "_uri"
            text = f"CREATE CONSTRAINT {cname} IF NOT EXISTS FOR (n:{name(label)}) REQUIRE n.uri IS UNIQUE"
        else:
            text = f"CREATE INDEX FOR (n:{name(label)}) ON (n.uri)"
        out.append(Statement(text, None, "schema"))
    return out


def data_statements(graph: GraphModel, batch_size: int = DEFAULT_BATCH) -> Iterator[Statement]:
    """MERGE statements for every node (grouped by labels), then every relationship (by label pair and type).

    The model is read as a stream: one batch of rows in memory at a time.
    """
    if batch_size < 1:
        raise ValueError("batch size must be at least 1")
    for labels, nodes in graph.node_groups():
        text = f"UNWIND $rows AS row\nMERGE (n:{name(labels[0])} {{uri: row.uri}})\n"
        text += "".join(f"SET n:{name(extra)}\n" for extra in labels[1:])
        text += "SET n += row.props"
        for batch in _batches(({"uri": node.uri, "props": node.props} for node in nodes), batch_size):
            yield Statement(text, batch, "nodes")
    for (start_label, rel_type, end_label), rels in graph.rel_groups():
        text = (f"UNWIND $rows AS row\nMATCH (a:{name(start_label)} {{uri: row.start}})\n"
                f"MATCH (b:{name(end_label)} {{uri: row.end}})\nMERGE (a)-[:{name(rel_type)}]->(b)")
        for batch in _batches(({"start": rel.start, "end": rel.end} for rel in rels), batch_size):
            yield Statement(text, batch, "rels")


def statements(graph: GraphModel, dialect: str = "neo4j", batch_size: int = DEFAULT_BATCH) -> Iterator[Statement]:
    """Schema statements first, then nodes, then relationships."""
    yield from schema_statements(graph, dialect)
    yield from data_statements(graph, batch_size)


def inline(statement: Statement, dialect: str = "neo4j") -> str:
    """The statement with its `$rows` written out as a literal list, one row a line."""
    _check(dialect)
    if statement.rows is None:
        return statement.text
    body = ",\n".join("  " + literal(row, dialect) for row in statement.rows)
    return statement.text.replace("$rows", f"[\n{body}\n]", 1)


def literal(value, dialect: str = "neo4j") -> str:
    """A Python value (str, int, float, bool, date, datetime, list, dict) as a Cypher literal."""
    write = _WRITERS.get(type(value))
    if write is not None:  # the common types, looked up once (this runs for every value of every row)
        return write(value, dialect)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value, dialect)
    if isinstance(value, dt.datetime):
        return _datetime(value, dialect)
    if isinstance(value, dt.date):
        return f'date("{value.isoformat()}")'
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(literal(v, dialect) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{name(str(k))}: {literal(v, dialect)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _float(value: float, _dialect: str) -> str:
    if not math.isfinite(value):
        raise ValueError(f"{value!r} has no Cypher literal")
    return repr(value)


def _datetime(value: dt.datetime, dialect: str) -> str:
    fn = "datetime" if dialect == "neo4j" else "localdatetime"
    text = value.isoformat() if dialect == "neo4j" else value.replace(tzinfo=None).isoformat()
    return f'{fn}("{text}")'


def _list(value, dialect: str) -> str:
    return "[" + ", ".join(literal(v, dialect) for v in value) + "]"


def _map(value: dict, dialect: str) -> str:
    return "{" + ", ".join(f"{_key(k)}: {literal(v, dialect)}" for k, v in value.items()) + "}"


@functools.lru_cache(maxsize=4096)
def _key(key) -> str:
    return name(str(key))


_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
_NEEDS_ESCAPE = re.compile(r'[\\"\n\r\t\b\f]')


def _string(text: str, _dialect: str = "neo4j") -> str:
    # Vietnamese letters are written as they are (UTF-8): FalkorDB does not read \uXXXX escapes.
    if _NEEDS_ESCAPE.search(text) is None:
        return '"' + text + '"'
    return '"' + _NEEDS_ESCAPE.sub(lambda m: _ESCAPES[m.group()], text) + '"'


_WRITERS = {
    str: _string,
    int: lambda v, _d: str(v),
    bool: lambda v, _d: "true" if v else "false",
    float: _float,
    dt.date: lambda v, _d: f'date("{v.isoformat()}")',
    dt.datetime: _datetime,
    list: _list,
    tuple: _list,
    dict: _map,
    type(None): lambda _v, _d: "null",
}


def script(graph: GraphModel, dialect: str = "neo4j", batch_size: int = DEFAULT_BATCH) -> Iterator[str]:
    """import.cypher, piece by piece: a header, then one statement per paragraph, each ending in ';'."""
    counts = graph.counts()
    n_nodes, n_rels = graph.node_count, graph.rel_count
    yield (f"// vnkg property graph from {_file_name(graph.source)}: {n_nodes} nodes, {n_rels} relationships.\n"
           f"// Dialect: {dialect}. Every statement MERGEs on the node IRI (`uri`), so running the script\n"
           f"// again changes nothing. Run it with:\n")
    if dialect == "neo4j":
        yield "//   cypher-shell -a neo4j://localhost:7687 -u neo4j -d neo4j -f import.cypher\n"
    else:
        yield ("//   each statement through a FalkorDB client (GRAPH.QUERY); a second run reports\n"
               "//   'already indexed' for the CREATE INDEX lines, which is harmless.\n")
    yield "// " + ", ".join(f"{k}: {v}" for k, v in counts.items()) + "\n\n"
    for stmt in statements(graph, dialect, batch_size):
        yield inline(stmt, dialect) + ";\n\n"


def split_script(text: str) -> list[str]:
    """The statements of a script written by `script` (for clients that run one statement at a time).

    A statement ends with a line ending in ';'. String literals never hold a raw line
    break (they are escaped), so no line inside a literal can end that way.
    """
    out, current = [], []
    for line in text.splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("//")):
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            out.append("\n".join(current).rstrip().rstrip(";"))
            current = []
    if current:
        out.append("\n".join(current))
    return out


def _file_name(path: str) -> str:
    return path.rsplit("/", 1)[-1] if path else "graph"


def _batches(rows, size: int) -> Iterator[list]:
    it = iter(rows)
    while batch := list(islice(it, size)):
        yield batch


def _check(dialect: str) -> None:
    if dialect not in DIALECTS:
        raise ValueError(f"unknown Cypher dialect {dialect!r}; expected one of {', '.join(DIALECTS)}")
