"""Bounded memory for the exports: a private work folder, text lines sorted on disk, N-Triples lines read as text.

Every exporter reads the graph as N-Triples lines sorted by code point (a subject's
triples together) and sorts what it derives from them (records keyed by an IRI) the
same way, so nothing holds the graph in memory: runs of at most `RUN_BYTES` of text
are sorted in memory, written to the work folder and merged from disk.

The work folder sits beside the output (or the graph), never in a shared /tmp that
another process may fill or clean; it is removed when the work ends, and left-overs of
a run that was killed are removed by the next one.
"""
from __future__ import annotations

import heapq
import itertools
import logging
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

log = logging.getLogger(__name__)

RUN_BYTES = 24 << 20
"""Text sorted in memory at a time (about 60 MB with Python's string overhead), whatever the graph's size."""

MAX_OPEN_RUNS = 64
"""Runs merged at once; more are merged in rounds (a graph of some 1.5 GB of N-Triples per round)."""

WORK_PREFIX = ".kg-work-"
_RUN_NUMBERS = itertools.count()


# ---------------------------------------------------------------------------------------------- work folders

def make_work_folder(near: str | os.PathLike | None = None) -> Path:
    """A new private folder inside `near` (a folder), or in the system's temporary folder when `near`
    is not writable; left-overs of killed runs in `near` are removed first."""
    if near is not None:
        folder = Path(near)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            remove_leftovers(folder)
            return Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-", dir=folder))
        except OSError as exc:
            log.info("%s is not writable (%s); temporary files go to %s", folder, exc, tempfile.gettempdir())
    return Path(tempfile.mkdtemp(prefix=f"{WORK_PREFIX}{os.getpid()}-"))


def remove_leftovers(folder: Path) -> None:
    """Remove work folders whose process is gone (killed by SIGKILL, a power cut...)."""
    for path in folder.glob(WORK_PREFIX + "*"):
        match = re.fullmatch(re.escape(WORK_PREFIX) + r"(\d+)-.*", path.name)
        if match and path.is_dir() and not _alive(int(match.group(1))):
            shutil.rmtree(path, ignore_errors=True)
            log.info("removed %s, left by an export that did not finish", path)


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# ---------------------------------------------------------------------------------------------- sorting

class SortedRuns:
    """Lines collected in sorted, de-duplicated runs on disk; `merged()` gives them all in order, once each."""

    def __init__(self, work: Path, name: str, run_bytes: int | None = None):
        self.work = work
        self.name = name
        self.run_bytes = run_bytes or RUN_BYTES
        self.runs: list[tuple[Path, str, str]] = []  # file, first line, last line
        self._chunk: list[str] = []
        self._size = 0

    def add(self, line: str) -> None:
        """Add one line (ending in a newline)."""
        self._chunk.append(line)
        self._size += len(line)
        if self._size >= self.run_bytes:
            self._spill()

    def extend(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.add(line)

    def add_block(self, lines: list[str]) -> None:
        """Add a list of lines at once (the list is taken over)."""
        self._chunk.extend(lines)
        self._size += sum(map(len, lines))
        if self._size >= self.run_bytes:
            self._spill()

    def _spill(self) -> None:
        if not self._chunk:
            return
        chunk = sorted(set(self._chunk))
        self._chunk, self._size = [], 0
        path = self.work / f"{self.name}-{next(_RUN_NUMBERS):06d}.run"
        with path.open("w", encoding="utf-8", newline="") as handle:
            handle.writelines(chunk)
        self.runs.append((path, chunk[0], chunk[-1]))

    def merged(self) -> Iterator[str]:
        """Every distinct line in code-point order; the run files are removed afterwards."""
        if not self.runs:
            chunk = sorted(set(self._chunk))
            self._chunk, self._size = [], 0
            yield from chunk
            return
        self._spill()
        while len(self.runs) > MAX_OPEN_RUNS:  # merge in rounds, so as never to open too many files at once
            rounds, self.runs = self.runs, []
            for i in range(0, len(rounds), MAX_OPEN_RUNS):
                self._merge_into_run(rounds[i:i + MAX_OPEN_RUNS])
        paths = [r[0] for r in self.runs]
        try:
            if all(self.runs[i][1] > self.runs[i - 1][2] for i in range(1, len(self.runs))):
                for path in paths:  # runs that follow each other: read one after the other
                    with path.open(encoding="utf-8", newline="") as handle:
                        yield from handle
                return
            handles = [p.open(encoding="utf-8", newline="") for p in paths]
            try:
                previous = None
                for line in heapq.merge(*handles):
                    if line != previous:
                        yield line
                        previous = line
            finally:
                for handle in handles:
                    handle.close()
        finally:
            for path in paths:
                path.unlink(missing_ok=True)
            self.runs = []

    def _merge_into_run(self, runs: list[tuple[Path, str, str]]) -> None:
        inner = SortedRuns(self.work, self.name, self.run_bytes)
        inner.runs = runs
        path = self.work / f"{self.name}-{next(_RUN_NUMBERS):06d}.run"
        inner.write(path)
        self.runs.append((path, min(r[1] for r in runs), max(r[2] for r in runs)))

    def write(self, target: Path) -> int:
        """Write the merged lines to `target`; the number of lines."""
        count = 0
        with target.open("w", encoding="utf-8", newline="") as out:
            buffer: list[str] = []
            for line in self.merged():
                buffer.append(line)
                if len(buffer) >= 1024:
                    out.writelines(buffer)
                    count += len(buffer)
                    buffer = []
            out.writelines(buffer)
            count += len(buffer)
        return count


def sort_lines(lines: Iterable[str], work: Path, name: str, run_bytes: int | None = None) -> Iterator[str]:
    """The distinct lines of `lines` in code-point order, sorted in bounded memory."""
    runs = SortedRuns(work, name, run_bytes)
    runs.extend(lines)
    yield from runs.merged()


def read_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from handle


def read_blocks(path: Path, block_bytes: int | None = None) -> Iterator[list[str]]:
    """The lines of a file in lists of about `block_bytes` (default a quarter of a run): no Python loop per line."""
    block_bytes = block_bytes or max(RUN_BYTES // 4, 1 << 14)
    with path.open(encoding="utf-8", newline="") as handle:
        while block := handle.readlines(block_bytes):
            yield block


# ---------------------------------------------------------------------------------------------- N-Triples text
# Lines as pyoxigraph writes them: `<s> <p> <o> .` with single spaces, IRIs never escaped, literals
# with every control character escaped (so a line never holds a raw tab or line break).

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")


def split_line(line: str) -> tuple[str, str, str]:
    """(subject term, predicate IRI, object term) of one N-Triples line."""
    s, p, rest = line.split(" ", 2)
    return s, p[1:-1], rest[:-3]


def unescape(text: str) -> str:
    """The string an N-Triples literal body stands for."""
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)) if m.group(3) is None
                       else _ECHAR.get(m.group(3), m.group(3)), text)


def literal_parts(term: str) -> tuple[str, str, str | None]:
    """(escaped body, datatype IRI, language or None) of a literal term `"..."@vi`, `"..."^^<dt>`, `"..."`."""
    body, _, suffix = term[1:].rpartition('"')
    if not suffix:
        return body, XSD_STRING, None
    if suffix[0] == "@":
        return body, RDF_LANGSTRING, suffix[1:]
    return body, suffix[3:-1], None


def subject_groups(lines: Iterable[str]) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(subject term, [(predicate IRI, object term)...]) for sorted lines: each subject once."""
    current = None
    group: list[tuple[str, str]] = []
    for line in lines:
        s, p, o = split_line(line)
        if s != current:
            if current is not None:
                yield current, group
            current, group = s, []
        group.append((p, o))
    if current is not None:
        yield current, group


def keyed_groups(lines: Iterable[str]) -> Iterator[tuple[str, list[list[str]]]]:
    """(key, [fields...] per line) for sorted tab-separated lines whose first field is the key."""
    current = None
    group: list[list[str]] = []
    for line in lines:
        fields = line[:-1].split("\t")
        if fields[0] != current:
            if current is not None:
                yield current, group
            current, group = fields[0], []
        group.append(fields)
    if current is not None:
        yield current, group
