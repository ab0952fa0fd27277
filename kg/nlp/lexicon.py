"""The rule data: every word and pattern the rules read, from ontology/rules/*.jsonl, by id.

Each row of each file is a JSON object with an `id` unique across the folder. A row holds
`phrases` (words or phrases, matched as whole words), a `pattern` (a regular expression),
or other fields its rule documents. Patterns may name shared pieces as `<<UP>>`, `<<LO>>`,
`<<LETTER>>`, `<<UPPER>>`, `<<LOWER>>` (Vietnamese letter classes), `<<WB>>`/`<<WE>>` (word
start/end) and `<<row.id>>` (that row's phrases as an alternation, longest first).

The lexicon records which rows the pipeline asked for, so a row no rule reads is found
(`unused`). Nothing here knows what the rows mean.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from kg.compiled import regex
from kg.errors import DataFileError
from kg.text import LETTER, LO, LOWER, UP, UPPER, WB_AFTER, WB_BEFORE

_PIECES = {"UP": UP, "LO": LO, "LETTER": LETTER, "UPPER": UPPER, "LOWER": LOWER, "WB": WB_BEFORE, "WE": WB_AFTER}
_PLACEHOLDER = re.compile(r"<<([A-Za-z0-9_.\-]+)>>")


def jsonl_rows(path: Path) -> Iterator[tuple[int, object]]:
    """(line number, parsed value) of each non-blank line of a JSONL data file; errors name the file and line."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(str(path), f"cannot be read ({exc.strerror})") from None
    with handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFileError(str(path), f"not valid JSON: {exc.msg} at column {exc.colno}",
                                    line=number) from None


def read_jsonl(path: Path) -> list[dict]:
    """The rows of a JSONL data file; each must be an object with an 'id'. Errors name the file and line."""
    rows = []
    for number, row in jsonl_rows(path):
        if not isinstance(row, dict) or not isinstance(row.get("id"), str):
            raise DataFileError(str(path), "expected a JSON object with a string 'id'", line=number)
        rows.append(row)
    return rows


class Lexicon:
    """Every row of one rules folder, by id; patterns compiled once."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise DataFileError(str(self.folder), "rules folder not found (set VNKG_ONTOLOGY_DIR to the ontology folder)")
        self._rows: dict[str, Mapping] = {}
        self._files: dict[str, list[str]] = {}
        where: dict[str, str] = {}
        for path in sorted(self.folder.glob("*.jsonl")):
            ids = []
            for row in read_jsonl(path):
                ident = row["id"]
                if ident in self._rows:
                    raise DataFileError(str(path), f"id {ident!r} is already used in {where[ident]}")
                self._rows[ident] = MappingProxyType(row)
                where[ident] = path.name
                ids.append(ident)
            self._files[path.stem] = ids
        self._used: set[str] = set()
        self._compiled: dict[tuple, re.Pattern] = {}

    def __repr__(self) -> str:
        return f"Lexicon({str(self.folder)!r}: {len(self._rows)} rows)"

    # ------------------------------------------------------------------ rows

    def row(self, ident: str) -> Mapping:
        """The row `ident`; a KeyError names the folder when there is none."""
        try:
            row = self._rows[ident]
        except KeyError:
            raise KeyError(f"no rule row {ident!r} in {self.folder}") from None
        self._used.add(ident)
        return row

    def file(self, stem: str) -> list[Mapping]:
        """Every row of `<stem>.jsonl`, in file order (all of them count as read)."""
        ids = self._files.get(stem)
        if ids is None:
            raise DataFileError(str(self.folder / f"{stem}.jsonl"), "rules file missing")
        return [self.row(i) for i in ids]

    def phrases(self, ident: str) -> tuple[str, ...]:
        """The row's phrases, longest first."""
        values = self.row(ident).get("phrases")
        if not isinstance(values, list) or not all(isinstance(v, str) and v for v in values):
            raise DataFileError(str(self.folder), f"row {ident!r}: 'phrases' must be a list of non-empty strings")
        return tuple(sorted(set(values), key=lambda p: (-len(p), p)))

    def value(self, ident: str, field: str = "value"):
        return self.row(ident)[field]

    def unused(self) -> list[str]:
        """Ids of the rows nothing has asked for."""
        return sorted(set(self._rows) - self._used)

    def ids(self) -> list[str]:
        return sorted(self._rows)

    # ------------------------------------------------------------------ patterns

    def alternation(self, ident: str) -> str:
        """The row's phrases as a regex alternation (escaped, longest first, a space also matching '_')."""
        return "|".join(re.escape(p).replace(r"\ ", "[ _]") for p in self.phrases(ident))

    def words(self, ident: str, flags: int = 0) -> re.Pattern:
        """The row's phrases as one regex of whole words."""
        key = ("words", ident, flags)
        if key not in self._compiled:
            self._compiled[key] = regex(f"{WB_BEFORE}(?:{self.alternation(ident)}){WB_AFTER}", flags)
        return self._compiled[key]

    def source(self, ident: str) -> str:
        """The row's pattern with its placeholders filled in, as regex source."""
        pattern = self.row(ident).get("pattern")
        if not isinstance(pattern, str):
            raise DataFileError(str(self.folder), f"row {ident!r} has no 'pattern'")
        return self.expand(pattern)

    def expand(self, pattern: str) -> str:
        def fill(m: re.Match) -> str:
            name = m.group(1)
            if name in _PIECES:
                return _PIECES[name]
            row = self.row(name)
            if "pattern" in row:
                return f"(?:{self.expand(row['pattern'])})"
            return f"(?:{self.alternation(name)})"
        return _PLACEHOLDER.sub(fill, pattern)

    def pattern(self, ident: str, flags: int = 0) -> re.Pattern:
        """The row's pattern, compiled once."""
        key = ("pattern", ident, flags)
        if key not in self._compiled:
            try:
                self._compiled[key] = regex(self.source(ident), flags)
            except re.error as exc:
                raise DataFileError(str(self.folder), f"row {ident!r}: not a valid pattern ({exc})") from None
        return self._compiled[key]

    def valued(self, kind: str) -> list[tuple[str, str]]:
        """(phrase, value) of every row whose 'kind' is `kind`, longest phrase first."""
        out = {(p, row["value"]) for ident, row in self._rows.items() if row.get("kind") == kind
               for p in self.phrases(ident)}
        return sorted(out, key=lambda pv: (-len(pv[0]), pv[0]))

    def of_kind(self, kind: str) -> list[Mapping]:
        """Every row whose 'kind' is `kind` (all of them count as read)."""
        return [self.row(i) for i, row in self._rows.items() if row.get("kind") == kind]

    def numbers(self, kind: str) -> dict[str, int]:
        """Word -> number, from the rows of `kind` ('number_word': 'ba' -> 3, 'quarter_numeral': 'II' -> 2)."""
        return {row["word"]: int(row["value"]) for row in self.of_kind(kind)}


@lru_cache(maxsize=4)
def load_lexicon(folder: Path) -> Lexicon:
    """The lexicon of one rules folder, read once per process."""
    return Lexicon(folder)
