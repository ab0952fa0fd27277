"""Files for `neo4j-admin database import full`: nodes_*.csv, rels_*.csv and README.txt.

Headers follow the import tool's format: `uri:ID` (one global ID space: the IRIs),
`:LABEL`, typed property columns (`value:double`, `charStart:int`, `startDate:date`,
`alt_labels:string[]`), and `:START_ID`, `:END_ID`, `:TYPE` for relationships. Fields
are RFC 4180 CSV (comma, double quotes, a quote inside a field doubled), which
neo4j-admin reads with its defaults. An empty field means "no property".

A column has one type per file, so when one label mixes a full date (`date`) and a
partial one (`"2025-04"`, a string) in the same property, its nodes are split over
several files (nodes_Visit.csv, nodes_Visit_2.csv), each with its own header.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import logging
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from kg.export.files import output_folder, write_text
from kg.export.propgraph import PropertyGraph

log = logging.getLogger(__name__)

# Tried in order: the first that appears in no list value becomes the array delimiter.
ARRAY_DELIMITERS = (";", "|", "¦", "\u001f")
_INT32 = range(-(2**31), 2**31)


@dataclass
class CsvExport:
    """What was written, and the import command that reads it."""

    out_dir: Path
    node_files: list[str]
    rel_files: list[str]
    array_delimiter: str
    multiline: bool
    command: str


def write_neo4j_csv(graph: PropertyGraph, out_dir: str | Path) -> CsvExport:
    """Write the import files into `out_dir` (created if needed; earlier nodes_/rels_ files replaced)."""
    out = output_folder(out_dir)
    delim = _array_delimiter(graph)
    multiline = False

    node_files = []
    by_labels: dict[tuple[str, ...], list] = defaultdict(list)
    for node in graph.nodes:
        by_labels[node.labels].append(node)
    used_names: set[str] = set()
    for labels, nodes in by_labels.items():
        for part, (columns, rows) in enumerate(_split_by_types(nodes), start=1):
            fname = _unique(f"nodes_{_safe('_'.join(labels))}{'' if part == 1 else f'_{part}'}.csv", used_names)
            header = ["uri:ID"] + [f"{key}:{ctype}" for key, ctype in columns] + [":LABEL"]
            body = []
            for node in rows:
                cells = [node.uri] + [_cell(node.props.get(key), ctype, delim) for key, ctype in columns]
                body.append(cells + [delim.join(node.labels)])
            multiline |= _write_csv(out / fname, header, body)
            node_files.append(fname)

    rel_files = []
    by_type: dict[str, list] = defaultdict(list)
    for rel in graph.rels:
        by_type[rel.type].append(rel)
    for rel_type, rels in by_type.items():
        fname = _unique(f"rels_{_safe(rel_type)}.csv", used_names)
        _write_csv(out / fname, [":START_ID", ":END_ID", ":TYPE"], [[r.start, r.end, r.type] for r in rels])
        rel_files.append(fname)

    for stale in sorted(set(out.glob("nodes_*.csv")) | set(out.glob("rels_*.csv"))):
        if stale.name not in used_names:
            stale.unlink()
            log.info("removed %s from an earlier export", stale)

    command = import_command(node_files, rel_files, delim, multiline)
    write_text(out / "README.txt", _readme(graph, node_files, rel_files, delim, multiline, command))
    return CsvExport(out, node_files, rel_files, delim, multiline, command)


def import_command(node_files: list[str], rel_files: list[str], delim: str, multiline: bool,
                   database: str = "neo4j") -> str:
    """The neo4j-admin (Neo4j 5) command that imports the files, run from inside their folder."""
    lines = [f"neo4j-admin database import full {database}",
             "  --overwrite-destination=true",
             "  --id-type=string",
             f"  --array-delimiter={_shell_quote(delim if delim != chr(31) else 'U+001F')}"]
    if multiline:
        lines.append("  --multiline-fields=true")
    lines += [f"  --nodes={f}" for f in node_files]
    lines += [f"  --relationships={f}" for f in rel_files]
    return " \\\n".join(lines)


def column_type(values: list) -> str:
    """The neo4j-admin type of a column from its (non-empty) values: string, int, long, double, ..."""
    kinds = {_kind(v) for v in values}
    is_array = any(isinstance(v, list) for v in values)
    if kinds <= {"int"}:
        items = [x for v in values for x in (v if isinstance(v, list) else [v])]
        base = "int" if all(x in _INT32 for x in items) else "long"
    elif kinds <= {"int", "double"}:
        base = "double"
    elif len(kinds) == 1:
        base = kinds.pop()
    else:
        base = "string"
    return base + ("[]" if is_array else "")


def _kind(value) -> str:
    items = value if isinstance(value, list) else [value]
    kinds = set()
    for x in items:
        if isinstance(x, bool):
            kinds.add("boolean")
        elif isinstance(x, int):
            kinds.add("int")
        elif isinstance(x, float):
            kinds.add("double")
        elif isinstance(x, dt.datetime):
            kinds.add("datetime")
        elif isinstance(x, dt.date):
            kinds.add("date")
        else:
            kinds.add("string")
    return kinds.pop() if len(kinds) == 1 else "string"


def _split_by_types(nodes: list) -> list[tuple[list[tuple[str, str]], list]]:
    """Columns and rows per file: one file unless a property changes type between nodes."""
    keys: dict[str, None] = {}
    for n in nodes:
        for k in n.props:
            keys.setdefault(k, None)
    ordered = ["label"] * ("label" in keys) + sorted(k for k in keys if k != "label")
    kinds = {k: {_shape(n.props[k]) for n in nodes if k in n.props} for k in ordered}
    mixed = [k for k in ordered if len(kinds[k]) > 1]
    groups: dict[tuple, list] = defaultdict(list)
    for n in nodes:
        groups[tuple(_shape(n.props[k]) if k in n.props else None for k in mixed)].append(n)
    out = []
    for _sig, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), str(kv[0]))):
        present = [k for k in ordered if any(k in n.props for n in members)]
        columns = [(k, column_type([n.props[k] for n in members if k in n.props])) for k in present]
        out.append((columns, members))
    return out


def _shape(value) -> str:
    return _kind(value) + ("[]" if isinstance(value, list) else "")


def _cell(value, ctype: str, delim: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return delim.join(_scalar(v) for v in value)
    return _scalar(value)


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> bool:
    """Write one CSV file atomically; True when a field holds a line break."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    multiline = False
    for row in rows:
        multiline |= any("\n" in c or "\r" in c for c in row)
        writer.writerow(row)
    write_text(path, buf.getvalue())
    return multiline


def _array_delimiter(graph: PropertyGraph) -> str:
    items = {x for n in graph.nodes for v in n.props.values() if isinstance(v, list) for x in map(str, v)}
    items |= {lab for n in graph.nodes for lab in n.labels}
    for delim in ARRAY_DELIMITERS:
        if not any(delim in x for x in items):
            if delim != ";":
                log.warning("list values contain ';'; the CSV files use %r as the array delimiter", delim)
            return delim
    raise ValueError("every candidate array delimiter appears in the data")


def _safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "_-" else "_" for c in text)


def _unique(fname: str, used: set[str]) -> str:
    base, n = fname[:-4], 2
    while fname in used:
        fname, n = f"{base}_{n}.csv", n + 1
    used.add(fname)
    return fname


def _shell_quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def _readme(graph: PropertyGraph, node_files, rel_files, delim, multiline, command) -> str:
    counts = graph.counts()
    lines = [
        f"Neo4j import files for {graph.source or 'a vnkg graph'}",
        f"{len(graph.nodes)} nodes, {len(graph.rels)} relationships: "
        + ", ".join(f"{k} {v}" for k, v in counts.items()),
        "",
        "Import into an empty (or to-be-replaced) database with Neo4j 5, the server stopped,",
        "from inside this folder:",
        "",
        command,
        "",
        "then start Neo4j (for a database other than the default one: CREATE DATABASE name).",
        "With Docker, mount this folder as /import and give the paths as /import/<file>:",
        "",
        "  docker run --rm -v \"$PWD\":/import -v neo4j-data:/data neo4j:5 \\",
        "    " + command.replace("--nodes=", "--nodes=/import/").replace(
            "--relationships=", "--relationships=/import/").replace(" \\\n  ", " \\\n      "),
        "",
        "Format: uri:ID holds each node's IRI (one ID space for all files); :LABEL its labels;",
        "typed columns (name:int, name:double, name:date, name:string[]) follow neo4j-admin's header",
        f"syntax; lists are joined with {delim!r}; an empty field sets no property. Full dates",
        "(xsd:date) are Neo4j dates; partial ones (\"2025-04\", \"--03-23\") are strings, with",
        "<name>Precision saying day, month, year or month-day.",
        "Importing again with --overwrite-destination=true rebuilds the same database: no duplicates.",
        "",
        "The same graph as a Cypher script (MERGE, safe to run twice): import.cypher",
    ]
    if multiline:
        lines.insert(8, "(--multiline-fields=true because some values span several lines.)")
    return "\n".join(lines) + "\n"
