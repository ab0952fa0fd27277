"""What Neo4j's neosemantics (n10s) needs from a graph file, and the calls that import it.

n10s parses the Turtle itself, so the file must: declare every prefix it uses, name
resources with IRIs (n10s keys nodes on `uri`; a blank node becomes an unstable
`bnode://` id), keep language tags on names (with keepLangTag: true they are what
lets a query pick the Vietnamese label), use standard xsd datatypes with valid
lexical forms (others are kept as strings or dropped with keepCustomDataTypes:
false), and, with handleVocabUris: "IGNORE", not use one local name in two
vocabularies. `n10s_problems` checks all of that; `n10s_script` writes the set-up.
"""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from kg.export import terms as T

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


def n10s_problems(path: str | Path, *, triples: list | None = None, limit: int = 20) -> list[str]:
    """What would stop n10s from importing the Turtle file at `path` cleanly (empty when nothing).

    `triples`, when given, are the file's triples already parsed (saves parsing it again).
    """
    import pyoxigraph as ox

    problems: list[str] = []
    text = Path(path).read_text(encoding="utf-8")
    declared = set(re.findall(r"(?im)^\s*@?prefix\s+([A-Za-z][\w.-]*)?:\s*<", text))
    used = set(re.findall(r"(?<![\w<\"'#:/.-])([A-Za-z][\w-]*):(?=[\w%-])", _code_only(text)))
    undeclared = sorted(used - declared - {"http", "https", "urn", "mailto", "file"})
    if undeclared:
        problems.append(f"prefixes used but not declared: {', '.join(undeclared)}")
    if triples is None:
        try:
            triples = list(ox.parse(text, ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            return problems + [f"not valid Turtle ({exc}); n10s would stop at the same place"]
    locals_by_ns: dict[str, set[str]] = defaultdict(set)
    blank, untagged, bad_type, bad_lexical = [], [], [], []
    lexical = {dtype: re.compile(rx).fullmatch for dtype, rx in _LEXICAL.items()}
    predicates: set[str] = set()
    classes: set[str] = set()
    for t in triples:
        subject, pred, obj = t.subject, t.predicate.value, t.object
        predicates.add(pred)
        if isinstance(obj, ox.Literal):
            dtype = obj.datatype.value
            if pred in LANGUAGE_TAGGED and not obj.language:
                untagged.append(str(t))
            if dtype not in _KNOWN_DATATYPES:
                bad_type.append(str(t))
            elif dtype in lexical and not lexical[dtype](obj.value):
                bad_lexical.append(str(t))
        elif isinstance(obj, ox.BlankNode):
            blank.append(str(t))
        elif pred == T.RDF_TYPE:
            classes.add(obj.value)
        if isinstance(subject, ox.BlankNode) and not isinstance(obj, ox.BlankNode):
            blank.append(str(t))
    for pred in predicates - {T.RDF_TYPE}:
        local = T.local_name(pred)
        locals_by_ns[local].add(pred[: len(pred) - len(local)])
    for cls in classes:
        local = T.local_name(cls)
        locals_by_ns["type:" + local].add(cls[: len(cls) - len(local)])
    if blank:
        problems.append(f"{len(blank)} triples use blank nodes (n10s gives them unstable ids); first: {blank[0]}")
    if untagged:
        problems.append(f"{len(untagged)} names or evidence without a language tag; first: {untagged[0]}")
    if bad_type:
        problems.append(f"{len(bad_type)} literals with a non-standard datatype; first: {bad_type[0]}")
    if bad_lexical:
        problems.append(f"{len(bad_lexical)} literals not valid for their datatype; first: {bad_lexical[0]}")
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


def n10s_script(file_url: str) -> str:
    """The Cypher that sets n10s up on an empty database and imports the Turtle at `file_url`."""
    from kg.export.cypher import literal

    return (
        "// Neosemantics (n10s) import of a vnkg graph. Run on an empty database with the n10s plugin\n"
        "// installed and dbms.security.allow_csv_import_from_file_urls=true (see docs/export.md).\n"
        "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;\n"
        f"CALL n10s.graphconfig.init({literal(graph_config())});\n"
        f"CALL n10s.rdf.import.fetch({literal(file_url)}, \"Turtle\");\n"
    )


def _code_only(text: str) -> str:
    """Turtle text with comments, IRIs and string literals blanked, so prefixed names stand alone."""
    text = re.sub(r'"""(.|\n)*?"""|\'\'\'(.|\n)*?\'\'\'', '""', text)
    text = re.sub(r'"(\\.|[^"\\\n])*"|\'(\\.|[^\'\\\n])*\'', '""', text)
    text = re.sub(r"<[^>\s]*>", "<>", text)
    return re.sub(r"(?m)#.*$", "", text)
