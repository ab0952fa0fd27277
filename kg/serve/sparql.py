"""Lexical checks on a SPARQL request before it reaches Oxigraph.

Oxigraph does the parsing and evaluation; this module only splits the text into
SPARQL tokens (strings, IRIs, comments, variables and prefixed names are whole
tokens) to find the *keywords* the endpoint refuses: SERVICE (Oxigraph would fetch
the URL), LOAD (same), and the update operations on the read-only query endpoint.
A keyword is a bare word token, so "service" inside a literal, an IRI, a comment,
`?service` or `ex:service` never counts. It also measures how deeply the query nests
brackets: Oxigraph's parser recurses once per level and a few thousand levels
overflow its stack and kill the process, so `check_depth` refuses such a query
first. It must not rewrite the query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
QUERY_FORMS = frozenset({"SELECT", "CONSTRUCT", "ASK", "DESCRIBE"})

_PN_CHARS = r"\w\u00B7\u0300-\u036F\u203F-\u2040"
_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*(?:'''|$)
             | \"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)
             | '(?:[^'\\\n\r]|\\.)*'?
             | "(?:[^"\\\n\r]|\\.)*"?)
  | (?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)
  | (?P<var>[?$][%(pn)s]*)
  | (?P<langtag>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
  | (?P<bnode>_:[%(pn)s.\-]*)
  | (?P<name>(?:[^\W\d][%(pn)s.\-]*)?:(?:[%(pn)s.\-:%%]|\\.)*   # prefixed name (or bare prefix)
            | [^\W\d][%(pn)s\-]*)                                 # keyword or function name
  | (?P<other>.)
    """ % {"pn": _PN_CHARS},
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class QueryShape:
    """What the keywords of a SPARQL text say about it."""

    form: str | None          # SELECT / CONSTRUCT / ASK / DESCRIBE, or the first update keyword
    is_update: bool
    uses_service: bool
    uses_load: bool


MAX_DEPTH = 200          # nested ( [ { ; real queries stay under 20
MAX_UNARY_RUN = 64       # ! - + in a row, each a level of recursion too


def check(text: str) -> tuple[QueryShape, str | None]:
    """What the keywords of `text` say about it, and why it nests too deeply for the SPARQL parser
    (None when it does not): one pass over its tokens."""
    words, deepest, longest = _scan(text)
    return _shape(words), _depth_problem(deepest, longest)


def inspect(text: str) -> QueryShape:
    """Classify a SPARQL query or update from its keywords (never evaluates anything)."""
    return check(text)[0]


def check_depth(text: str) -> str | None:
    """Why `text` nests too deeply for the SPARQL parser, or None when it is fine."""
    return check(text)[1]


def keywords(text: str) -> list[str]:
    """The bare-word tokens of a SPARQL text, upper-cased, in order."""
    return _scan(text)[0]


def _scan(text: str) -> tuple[list[str], int, int]:
    """(the bare-word tokens upper-cased, the deepest bracket nesting, the longest run of unary
    operators), outside strings, IRIs and comments."""
    words: list[str] = []
    depth = deepest = run = longest = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "ws":
            continue
        if kind == "other":
            token = match.group()
            if token in "!-+":
                run += 1
                longest = max(longest, run)
                continue
            if token in "([{":
                depth += 1
                deepest = max(deepest, depth)
            elif token in ")]}":
                depth = max(0, depth - 1)
        elif kind == "name":
            word = match.group()
            if ":" not in word:
                words.append(word.upper())
        run = 0
    return words, deepest, longest


def _depth_problem(deepest: int, longest: int) -> str | None:
    if deepest > MAX_DEPTH:
        return f"the query nests brackets {deepest} deep; at most {MAX_DEPTH} levels are accepted"
    if longest > MAX_UNARY_RUN:
        return f"the query chains {longest} operators (! - +) in a row; at most {MAX_UNARY_RUN} are accepted"
    return None


def _shape(words: list[str]) -> QueryShape:
    form = None
    for word in words:
        if word in QUERY_FORMS or word in UPDATE_KEYWORDS:
            form = word
            break
    return QueryShape(
        form=form,
        is_update=form in UPDATE_KEYWORDS,
        uses_service="SERVICE" in words,
        uses_load="LOAD" in words,
    )
