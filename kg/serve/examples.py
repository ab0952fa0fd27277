"""The example queries shipped in queries/*.rq, with the title and description from their header.

A header is the run of `#` comment lines at the top of the file: the first is the
title, the rest (up to the first blank comment line) describe what the query shows.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kg.errors import VnkgError
from kg.resources import queries_dir

QUERIES_DIR = queries_dir()


@dataclass(frozen=True)
class Example:
    name: str          # file name without .rq, e.g. "visits-timeline"
    title: str
    description: str
    text: str

    def as_json(self) -> dict:
        return {"name": self.name, "title": self.title, "description": self.description, "query": self.text}


def _header(text: str) -> tuple[str, str]:
    lines = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        lines.append(line.lstrip("#").strip())
    if not lines:
        return "", ""
    description = []
    for line in lines[1:]:
        if not line:
            break
        description.append(line)
    return lines[0], " ".join(description)


def load_examples(folder: Path = QUERIES_DIR) -> list[Example]:
    """Every `*.rq` file in `folder`, sorted by name (an absent folder gives none)."""
    examples = []
    for path in sorted(folder.glob("*.rq")) if folder.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        title, description = _header(text)
        examples.append(Example(path.stem, title or path.stem, description, text))
    return examples


def find_example(name: str, folder: Path = QUERIES_DIR) -> Example:
    """The example called `name` (file stem), or an error listing the names there are."""
    examples = load_examples(folder)
    for example in examples:
        if example.name == name:
            return example
    names = ", ".join(e.name for e in examples) or "none"
    raise VnkgError(f"no example query '{name}' in {folder} (there are: {names})")
