"""What Neo4j's neosemantics (n10s) needs from a graph file, and the calls that import it.

n10s parses the Turtle itself, so the file must: declare every prefix it uses, name
resources with IRIs (n10s keys nodes on `uri`; a blank node becomes an unstable
`bnode://` id), keep language tags on names (with keepLangTag: true they are what
lets a query pick the Vietnamese label), use standard xsd datatypes with valid
lexical forms (others are kept as strings or dropped with keepCustomDataTypes:
false), and, with handleVocabUris: "IGNORE", not use one local name in two
vocabularies. `n10s_problems` checks all of that; `n10s_script` writes the set-up,
reading the file from Neo4j's import folder on the server (not from the machine
that exported it).
"""
from __future__ import annotations

import re
import urllib.parse
from collections import defaultdict
from pathlib import Path, PurePosixPath

from kg.errors import GraphFileError
from kg.export import spool
from kg.export import terms as T
from kg.export.source import SourceGraph, read_graph
from kg.rdf.files import find_format

DEFAULT_IMPORT_DIR = "/var/lib/neo4j/import"
"""Neo4j's import folder in the Debian/RPM packages and the Docker image."""

# Properties that may hold several values; every other property keeps one value in n10s.
MULTIVALUED = (T.RDFS_LABEL, T.SKOS_ALTLABEL, T.VNKG_EVIDENCE, T.VNKG + "charStart", T.VNKG + "charEnd",
               T.VNKG + "rule", T.VNKG + "confidence", T.VNKG + "sourceFile")
LANGUAGE_TAGGED = (T.RDFS_LABEL, T.SKOS_ALTLABEL, T.VNKG_TITLE, T.VNKG_EVIDENCE, T.SCHEMA_HEADLINE)

_LEXICAL = {
    T.XSD + "date": r"-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?",
    T.XSD + "dateTime": r"-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?",
    T.XSD + "gYearMonth": r"-?\d{4,}-\d{2}(Z|[+-]\d{2}:\d{2})?",
    T.XSD + "gYear": r"-?\d{4,}(Z|[+-]\d{2}:\d{2})?",
    T.XSD + "gMonthDay": r"--\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?",
    T.XSD + "integer": r"[+-]?\d+",
    T.XSD + "decimal": r"[+-]?(\d+(\.\d*)?|\.\d+)",
    T.XSD + "double": r"[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|INF)|NaN",
    T.XSD + "boolean": r"true|false|1|0",
}
_KNOWN_DATATYPES = {T.RDF_LANGSTRING, T.XSD + "string", T.XSD + "anyURI", T.XSD + "float", T.XSD + "int",
                    T.XSD + "long", T.XSD + "nonNegativeInteger", T.XSD + "gMonth", T.XSD + "gDay", *_LEXICAL}


def n10s_problems(graph: str | Path | SourceGraph, *, limit: int = 20) -> list[str]:
    """What would stop n10s from importing a Turtle file cleanly (empty when nothing).

    `graph` is the file's path, or the SourceGraph already read from it (saves reading it again).
    The file is streamed: memory does not grow with its size.
    """
    if isinstance(graph, SourceGraph):
        return _problems(graph.lines(), limit)
    try:
        with read_graph(graph) as source:
            return _problems(source.lines(), limit)
    except GraphFileError as exc:
        undeclared = re.search(r"[Tt]he prefix ([\w.-]*): has not been declared", str(exc))
        if undeclared:
            return [f"prefixes used but not declared: {undeclared.group(1)} ({exc})"]
        return [f"not valid Turtle ({exc}); n10s would stop at the same place"]


def _problems(lines, limit: int) -> list[str]:
    found: dict[str, list] = {k: [0, None] for k in ("blank", "untagged", "bad_type", "bad_lexical")}

    def note(kind: str, line: str) -> None:
        entry = found[kind]
        entry[0] += 1
        if entry[1] is None:
            entry[1] = line[:-3]

    lexical = {dtype: re.compile(rx).fullmatch for dtype, rx in _LEXICAL.items()}
    predicates: set[str] = set()
    classes: set[str] = set()
    for line in lines:
        subject, pred, obj = spool.split_line(line)
        predicates.add(pred)
        kind = obj[0]
        if kind == '"':
            body, dtype, lang = spool.literal_parts(obj)
            if pred in LANGUAGE_TAGGED and not lang:
                note("untagged", line)
            if dtype not in _KNOWN_DATATYPES:
                note("bad_type", line)
            elif dtype in lexical and not lexical[dtype](spool.unescape(body)):
                note("bad_lexical", line)
        elif kind == "_":
            note("blank", line)
        elif pred == T.RDF_TYPE:
            classes.add(obj[1:-1])
        if subject[0] == "_" and kind != "_":
            note("blank", line)
    locals_by_ns: dict[str, set[str]] = defaultdict(set)
    for pred in predicates - {T.RDF_TYPE}:
        local = T.local_name(pred)
        locals_by_ns[local].add(pred[: len(pred) - len(local)])
    for cls in classes:
        local = T.local_name(cls)
        locals_by_ns["type:" + local].add(cls[: len(cls) - len(local)])
    problems = []
    for kind, what in (("blank", "triples use blank nodes (n10s gives them unstable ids)"),
                       ("untagged", "names or evidence without a language tag"),
                       ("bad_type", "literals with a non-standard datatype"),
                       ("bad_lexical", "literals not valid for their datatype")):
        n, first = found[kind]
        if n:
            problems.append(f"{n} {what}; first: {first}")
    clashes = sorted(k for k, v in locals_by_ns.items() if len(v) > 1)
    if clashes:
        problems.append("local names used in several vocabularies, which handleVocabUris 'IGNORE' "
                        f"would merge: {', '.join(clashes[:limit])}")
    return problems


def graph_config() -> dict:
    """The n10s.graphconfig.init settings documented in docs/export.md."""
    return {
        "handleVocabUris": "IGNORE",
        "handleMultival": "ARRAY",
        "multivalPropList": list(MULTIVALUED),
        "keepLangTag": True,
        "handleRDFTypes": "LABELS",
        "keepCustomDataTypes": False,
        "applyNeo4jNaming": False,
    }


def import_url(file_name: str, import_dir: str = DEFAULT_IMPORT_DIR) -> str:
    """The URL n10s reads `file_name` from: a file in Neo4j's import folder on the server, or under a URL."""
    if "://" in import_dir:
        return import_dir.rstrip("/") + "/" + urllib.parse.quote(file_name)
    folder = PurePosixPath(import_dir)
    if not folder.is_absolute():
        raise ValueError(f"{import_dir!r} is not an absolute path on the Neo4j server (nor a URL)")
    return (folder / file_name).as_uri()


def rdf_format_name(file_name: str) -> str:
    """The n10s name of the RDF format of a file: Turtle, N-Triples, TriG, N-Quads, RDF/XML, JSON-LD."""
    fmt = find_format(file_name)
    return fmt.name if fmt else "Turtle"


def n10s_script(file_url: str, rdf_format: str = "Turtle") -> str:
    """The Cypher that sets n10s up on an empty database and imports the RDF file at `file_url`."""
    from kg.export.cypher import literal

    file_name = urllib.parse.unquote(file_url.rstrip("/").rsplit("/", 1)[-1])
    where = ("copy " + file_name + " into Neo4j's import folder first (server.directories.import; this script "
             "expects it at\n// " + file_url + ", another folder with `kg export neo4j --import-dir DIR`).\n"
             if file_url.startswith("file:") else f"n10s fetches {file_name} from {file_url}.\n")
    return (
        "// Neosemantics (n10s) import of a vnkg graph. Run on an empty database with the n10s plugin\n"
        "// installed and dbms.security.allow_csv_import_from_file_urls=true (see docs/export.md);\n"
        f"// {where}"
        "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;\n"
        f"CALL n10s.graphconfig.init({literal(graph_config())});\n"
        f"CALL n10s.rdf.import.fetch({literal(file_url)}, {literal(rdf_format)});\n"
    )
