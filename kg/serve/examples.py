"""The example queries shipped in queries/*.rq, with the title and description from their header.

A header is the run of `#` comment lines at the top of the file: the first is the
title, the rest (up to the first blank comment line) describe what the query shows.
A header line `# @param NAME KIND description` declares a parameter: the query holds
a `VALUES ?NAME { ... }` line with its default, which `with_params` replaces by the
value given (KIND `name`: a name as the graph writes it, in any language tag;
`year`: four digits; `text`: a plain string). Values become RDF terms written by
pyoxigraph, never text pasted into the query.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import VnkgError
from kg.resources import queries_dir

QUERIES_DIR = queries_dir()


PARAM_KINDS = ("name", "year", "text")


@dataclass(frozen=True)
class Param:
    name: str
    kind: str          # one of PARAM_KINDS
    description: str


@dataclass(frozen=True)
class Example:
    name: str          # file name without .rq, e.g. "visits-timeline"
    title: str
    description: str
    text: str
    params: tuple[Param, ...] = field(default=())

    def as_json(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description, "query": self.text,
                "params": [{"name": p.name, "kind": p.kind, "description": p.description} for p in self.params]}

    def with_params(self, **values) -> str:
        """The query text with each given parameter's VALUES line set to the value."""
        import pyoxigraph as ox

        declared = {p.name: p for p in self.params}
        text = self.text
        for key, value in values.items():
            param = declared.get(key)
            if param is None:
                known = ", ".join(declared) or "none"
                raise VnkgError(f"example '{self.name}' has no parameter '{key}' (its parameters: {known})")
            value = str(value).strip()
            if param.kind == "year":
                if not re.fullmatch(r"\d{4}", value):
                    raise VnkgError(f"--param {key}={value}: a year is four digits, e.g. 2024")
                terms = [ox.Literal(value)]
            elif param.kind == "name":
                if not value:
                    raise VnkgError(f"--param {key}: give a name, e.g. {key}=\"Lương Cường\"")
                import unicodedata

                value = unicodedata.normalize("NFC", value)
                terms = [ox.Literal(value, language="vi"), ox.Literal(value, language="en"), ox.Literal(value)]
            else:
                terms = [ox.Literal(value)]
            clause = re.compile(r"VALUES\s+\?" + re.escape(key) + r"\s*\{[^}]*\}")
            replacement = f"VALUES ?{key} {{ {' '.join(map(str, terms))} }}"
            text, found = clause.subn(lambda _: replacement, text, count=1)
            if not found:
                raise VnkgError(f"{self.name}.rq declares @param {key} but has no 'VALUES ?{key} {{ ... }}' line")
        return text


_PARAM_LINE = re.compile(r"@param\s+(\w+)\s+(\w+)\s*(.*)")


def _header(text: str) -> tuple[str, str, tuple[Param, ...]]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    if not lines:
        return "", "", ()
    params = []
    for line in lines:
        match = _PARAM_LINE.match(line)
        if match and match.group(2) in PARAM_KINDS:
            params.append(Param(match.group(1), match.group(2), match.group(3).strip()))
    description = []
    for line in lines[1:]:
        if not line or line.startswith("@param"):
            break
        description.append(line)
    return lines[0], " ".join(description), tuple(params)


def load_examples(folder: Path = QUERIES_DIR) -> list[Example]:
    """Every `*.rq` file in `folder`, sorted by name (an absent folder gives none)."""
    examples = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        title, description, params = _header(text)
        examples.append(Example(path.stem, title or path.stem, description, text, params))
    return examples


def find_example(name: str, folder: Path = QUERIES_DIR) -> Example:
    """The example called `name` (file stem), or an error listing the names there are."""
    examples = load_examples(folder)
    for example in examples:
        if example.name == name:
            return example
    names = ", ".join(e.name for e in examples) or "none"
    raise VnkgError(f"no example query '{name}' in {folder} (there are: {names})")
