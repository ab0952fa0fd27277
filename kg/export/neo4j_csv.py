"""Files for `neo4j-admin database import full`: nodes_*.csv, rels_*.csv, README.txt and constraints.cypher.

Headers follow the import tool's format: `uri:ID` (one global ID space: the IRIs),
`:LABEL`, typed property columns (`value:double`, `charStart:int`, `startDate:date`,
`alt_labels:string[]`), and `:START_ID`, `:END_ID`, `:TYPE` for relationships. Fields
are RFC 4180 CSV (comma, double quotes, a quote inside a field doubled), which
neo4j-admin reads with its defaults. An empty field means "no property".

A column has one type per file, so when one label mixes a full date (`date`) and a
partial one (`"2025-04"`, a string) in the same property, its nodes are split over
several files (nodes_Visit.csv, nodes_Visit_2.csv), each with its own header.

The model is read twice, streamed: once for the column types and the files, once to
write the rows. Only per-label summaries are kept in memory.

neo4j-admin creates no index: README.txt and constraints.cypher give the uniqueness
constraints on `uri` to create once the database is started, so that lookups by IRI
(and any later MERGE) use an index.
"""
from __future__ import annotations

import contextlib
import csv
import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from kg.export import cypher
from kg.export.files import atomic_output, output_folder, write_text
from kg.export.propgraph import GraphModel

log = logging.getLogger(__name__)

# Tried in order: the first that appears in no list value becomes the array delimiter.
ARRAY_DELIMITERS = (";", "|", "¦", "\u001f")
_INT32 = range(-(2**31), 2**31)
CONSTRAINTS_FILE = "constraints.cypher"


@dataclass
class CsvExport:
    """What was written, and the import command that reads it."""

    out_dir: Path
    node_files: list[str]
    rel_files: list[str]
    array_delimiter: str
    multiline: bool
    command: str


@dataclass
class _Column:
    kinds: set = field(default_factory=set)
    array: bool = False
    int32: bool = True

    def merge(self, other: _Column) -> None:
        self.kinds |= other.kinds
        self.array |= other.array
        self.int32 &= other.int32

    def type(self) -> str:
        if self.kinds <= {"int"}:
            base = "int" if self.int32 else "long"
        elif self.kinds <= {"int", "double"}:
            base = "double"
        elif len(self.kinds) == 1:
            base = next(iter(self.kinds))
        else:
            base = "string"
        return base + ("[]" if self.array else "")


@dataclass
class _Shape:
    """The nodes of one label set that have the same properties of the same shapes."""

    count: int = 0
    columns: dict[str, _Column] = field(default_factory=dict)
    int_keys: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, signature: tuple) -> _Shape:
        columns = {k: _Column({s.removesuffix("[]")}, s.endswith("[]")) for k, s in signature}
        return cls(0, columns, [k for k, s in signature if s.startswith("int")])


@dataclass
class _NodeFile:
    name: str
    columns: list[tuple[str, str]]
    signature: tuple


def write_neo4j_csv(graph: GraphModel, out_dir: str | Path) -> CsvExport:
    """Write the import files into `out_dir` (created if needed; earlier nodes_/rels_ files replaced).

    `graph` is the in-memory model or the streamed one (propgraph.stream_property_graph).
    """
    out = output_folder(out_dir)
    shapes, flags = _survey(graph)
    delim = _array_delimiter(flags)
    used_names: set[str] = set()
    plans = {labels: _plan_files(labels, label_shapes, used_names) for labels, label_shapes in shapes.items()}

    multiline = False
    node_files: list[str] = []
    for labels, nodes in graph.node_groups():
        files, mixed = plans[labels]
        node_files += [f.name for f in files]
        multiline |= _write_node_files(out, labels, nodes, files, mixed, delim)

    rel_files = _write_rel_files(out, graph, used_names)

    for stale in sorted(set(out.glob("nodes_*.csv")) | set(out.glob("rels_*.csv"))):
        if stale.name not in used_names:
            stale.unlink()
            log.info("removed %s from an earlier export", stale)

    command = import_command(node_files, rel_files, delim, multiline)
    constraints = [s.text + ";" for s in cypher.schema_statements(graph, "neo4j")]
    write_text(out / CONSTRAINTS_FILE, "".join(f"{c}\n" for c in constraints))
    write_text(out / "README.txt", _readme(graph, delim, multiline, command, constraints))
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


_KIND_OF_TYPE = {str: "string", int: "int", float: "double", bool: "boolean", dt.date: "date", dt.datetime: "datetime"}


def _shape(value) -> str:
    """The value's type as a column would hold it: `string`, `int`, `date[]`..."""
    kind = _KIND_OF_TYPE.get(type(value))
    if kind is not None:
        return kind
    if type(value) is list:
        kinds = {_KIND_OF_TYPE.get(type(x)) or _kind(x) for x in value}
        return (kinds.pop() if len(kinds) == 1 else "string") + "[]"
    return _kind(value)


def _survey(graph) -> tuple[dict[tuple[str, ...], dict[tuple, _Shape]], set[str]]:
    """Per label set, the nodes' shapes (which properties, of which types) with their column types; and
    the candidate array delimiters that occur in list values or labels."""
    shapes: dict[tuple[str, ...], dict[tuple, _Shape]] = {}
    flags: set[str] = set()
    kind_of = _KIND_OF_TYPE.get
    for labels, nodes in graph.node_groups():
        by_shape = shapes.setdefault(labels, {})
        for lab in labels:
            flags.update(d for d in ARRAY_DELIMITERS if d in lab)
        for node in nodes:
            props = node.props
            signature = tuple([(k, kind_of(type(v)) or _shape(v)) for k, v in props.items()])
            shape = by_shape.get(signature)
            if shape is None:
                shape = by_shape[signature] = _Shape.of(signature)
            shape.count += 1
            for k in shape.int_keys:  # the signature says all else; ints still need their range
                column = shape.columns[k]
                if column.int32:
                    v = props[k]
                    column.int32 = all(x in _INT32 for x in (v if type(v) is list else (v,)))
            for v in props.values():
                if type(v) is list:
                    text = "\n".join(map(str, v))
                    for d in ARRAY_DELIMITERS:
                        if d in text:
                            flags.add(d)
    return shapes, flags


def _plan_files(labels: tuple[str, ...], by_shape: dict[tuple, _Shape], used: set[str]):
    """The files of one label set: one, or one per combination of types of the properties that change type."""
    keys = {k for signature in by_shape for k, _s in signature}
    ordered = ["label"] * ("label" in keys) + sorted(k for k in keys if k != "label")
    shapes_of: dict[str, set[str]] = defaultdict(set)
    for signature in by_shape:
        for k, s in signature:
            shapes_of[k].add(s)
    mixed = [k for k in ordered if len(shapes_of[k]) > 1]
    groups: dict[tuple, _Shape] = {}
    for signature, shape in by_shape.items():
        have = dict(signature)
        key = tuple(have.get(k) for k in mixed)
        group = groups.setdefault(key, _Shape())
        group.count += shape.count
        for k, column in shape.columns.items():
            group.columns.setdefault(k, _Column()).merge(column)
    files = []
    for part, (key, group) in enumerate(sorted(groups.items(), key=lambda kv: (-kv[1].count, str(kv[0]))), start=1):
        name = _unique(f"nodes_{_safe('_'.join(labels))}{'' if part == 1 else f'_{part}'}.csv", used)
        columns = [(k, group.columns[k].type()) for k in ordered if k in group.columns]
        files.append(_NodeFile(name, columns, key))
    return files, mixed


def _write_node_files(out: Path, labels, nodes, files: list[_NodeFile], mixed: list[str], delim: str) -> bool:
    """Write the rows of one label set into its files; True when a field holds a line break."""
    multiline = False
    label_cell = delim.join(labels)
    with contextlib.ExitStack() as stack:
        writers = {}
        for f in files:
            stream = stack.enter_context(atomic_output(out / f.name))
            writer = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
            writer.writerow(["uri:ID"] + [f"{key}:{ctype}" for key, ctype in f.columns] + [":LABEL"])
            writers[f.signature] = (writer, [key for key, _t in f.columns])
        for node in nodes:
            props = node.props
            writer, keys = writers[tuple(_shape(props[k]) if k in props else None for k in mixed)]
            row = [node.uri]
            for key in keys:
                value = props.get(key)
                row.append("" if value is None else _cell(value, delim))
            row.append(label_cell)
            if not multiline:
                multiline = any("\n" in c or "\r" in c for c in row)
            writer.writerow(row)
    return multiline


def _write_rel_files(out: Path, graph, used: set[str]) -> list[str]:
    names: dict[str, str] = {}
    with contextlib.ExitStack() as stack:
        writers = {}
        for rel in graph.iter_rels():
            writer = writers.get(rel.type)
            if writer is None:
                names[rel.type] = _unique(f"rels_{_safe(rel.type)}.csv", used)
                stream = stack.enter_context(atomic_output(out / names[rel.type]))
                writer = writers[rel.type] = csv.writer(stream, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
                writer.writerow([":START_ID", ":END_ID", ":TYPE"])
            writer.writerow([rel.start, rel.end, rel.type])
    return list(names.values())


def _cell(value, delim: str) -> str:
    if isinstance(value, list):
        return delim.join(_scalar(v) for v in value)
    return _scalar(value)


def _scalar(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _array_delimiter(found: set[str]) -> str:
    for delim in ARRAY_DELIMITERS:
        if delim not in found:
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


def _readme(graph, delim, multiline, command, constraints: list[str]) -> str:
    counts = graph.counts()
    lines = [
        f"Neo4j import files for {graph.source or 'a vnkg graph'}",
        f"{graph.node_count} nodes, {graph.rel_count} relationships: "
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
        "neo4j-admin creates no index. Once the database is started, create the uniqueness",
        "constraints on `uri` (each comes with an index, so finding a node by its IRI, and any",
        f"later MERGE or `kg load neo4j`, is fast); they are also in {CONSTRAINTS_FILE}:",
        "",
        "  cypher-shell -a neo4j://localhost:7687 -u neo4j -d neo4j -f " + CONSTRAINTS_FILE,
        "",
        *("  " + c for c in constraints),
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
