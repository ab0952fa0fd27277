"""The streaming merge: many articles' N-Triples lines -> one sorted, deduplicated, conflict-free graph on disk.

Articles' lines are appended to a spool file as they come. `merge_spool` sorts it
in bounded memory (sorted runs of at most `run_lines` lines, then a k-way merge),
drops duplicates, and within each subject keeps one value of each one-valued
property exactly as kg.rdf.merge.resolve_conflicts does on an in-memory graph (the
few conflicting triples are handed to that very function). The result is one
N-Triples file sorted by line, which is what graph.ttl is written from: the same
triples give the same bytes whatever the order or the number of workers.
"""
from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from kg.rdf.ntriples import line as nt_line
from kg.rdf.ntriples import term

log = logging.getLogger(__name__)

_BATCH = 10_000  # lines written (and handed to the sink) at a time

RUN_LINES = 200_000
"""Lines sorted in memory at a time: about 60 MB of Python strings, whatever the corpus size."""


class TripleSpool:
    """An append-only file of N-Triples lines (with duplicates), in a work folder."""

    def __init__(self, directory: str | Path):
        self.path = Path(directory) / "spool.nt"
        self._handle = self.path.open("w", encoding="utf-8", newline="\n")
        self.lines = 0

    def extend(self, lines: Iterable[str]) -> None:
        lines = lines if isinstance(lines, (list, tuple)) else list(lines)
        if not lines:
            return
        with named(self.path):
            self._handle.write("\n".join(lines))
            self._handle.write("\n")
        self.lines += len(lines)

    def close(self) -> None:
        if not self._handle.closed:
            self._handle.close()


@contextlib.contextmanager
def named(path: str | Path):
    """OSErrors raised inside carry `path`, so that a full disk is reported with the file it filled."""
    try:
        yield
    except OSError as exc:
        if exc.filename is None:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
        raise


def _functional_terms() -> frozenset[str]:
    from kg.rdf.merge import FUNCTIONAL

    return frozenset(term(p) for p in FUNCTIONAL)


def sorted_unique(lines: Iterable[str], *, work_dir: str | Path, run_lines: int = RUN_LINES) -> Iterator[str]:
    """The distinct lines in code-point order, sorting runs of `run_lines` in memory and merging them from disk."""
    runs: list[Path] = []
    chunk: list[str] = []
    source = iter(lines)
    while True:
        chunk = list(itertools.islice(source, run_lines))
        if not chunk:
            break
        last = len(chunk) < run_lines
        chunk = sorted(set(chunk))
        if last and not runs:
            yield from chunk  # everything fitted in one run: no file needed
            return
        fd, name = tempfile.mkstemp(prefix="run-", suffix=".nt", dir=work_dir)
        with named(name), os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.writelines(f"{text}\n" for text in chunk)
        runs.append(Path(name))
        chunk = []
    handles = [path.open(encoding="utf-8", newline="\n") for path in runs]
    try:
        previous = None
        for text in heapq.merge(*handles):
            if text != previous:
                yield text[:-1]
                previous = text
    finally:
        for handle in handles:
            handle.close()
        for path in runs:
            path.unlink(missing_ok=True)


def resolve_sorted(lines: Iterable[str]) -> Iterator[str]:
    """Sorted distinct lines with one value kept per one-valued property of each subject (kg.rdf.merge rules)."""
    functional = _functional_terms()
    group: list[str] = []  # the lines of one subject
    subject = None
    seen: set[str] = set()  # its one-valued properties met so far ...
    conflicts: set[str] = set()  # ... and those met twice
    for text in lines:
        cut = text.index(" ")
        if text[:cut] != subject:
            if group:
                yield from (_resolve_group(group, conflicts) if conflicts else group)
            group, subject = [], text[:cut]
            seen, conflicts = set(), set()
        group.append(text)
        predicate = text[cut + 1:text.index(" ", cut + 1)]
        if predicate in functional:
            if predicate in seen:
                conflicts.add(predicate)
            seen.add(predicate)
    if group:
        yield from (_resolve_group(group, conflicts) if conflicts else group)


def _resolve_group(group: list[str], conflicts: set[str]) -> list[str]:
    """Hand the conflicting triples of one subject to resolve_conflicts; keep the lines it keeps."""
    from rdflib import Graph

    from kg.rdf.merge import resolve_conflicts

    disputed = [text for text in group if text.split(" ", 2)[1] in conflicts]
    graph = Graph()
    graph.parse(data="\n".join(disputed) + "\n", format="nt")
    resolve_conflicts(graph)
    kept = {nt_line(*triple) for triple in graph}
    dropped = [text for text in disputed if text not in kept]
    log.debug("one-valued properties resolved: dropped %s", dropped)
    return [text for text in group if text not in dropped]


def merge_spool(spool: TripleSpool, target: str | Path, *, run_lines: int = RUN_LINES,
                previous: str | Path | None = None, sink=None) -> int:
    """Write the merged graph of `spool` as sorted N-Triples to `target`; returns its number of triples.

    `previous`: an earlier merged file (sorted, resolved) to merge the spool into, so only
    what is new is sorted. Resolution keeps the highest-ranked value of a one-valued
    property, which gives the same result whether it sees all values at once or the
    value kept before and the new ones. `sink(lines)` is called with every batch of lines
    written, in order.
    """
    spool.close()
    work_dir = Path(target).parent

    def read() -> Iterator[str]:
        with spool.path.open(encoding="utf-8", newline="\n") as handle:
            for text in handle:
                yield text[:-1]

    lines = sorted_unique(read(), work_dir=work_dir, run_lines=run_lines)
    with contextlib.ExitStack() as stack:
        if previous is not None:
            handle = stack.enter_context(open(previous, encoding="utf-8", newline="\n"))
            lines = _unique(heapq.merge((text[:-1] for text in handle), lines))
        count = 0
        with named(target), open(target, "w", encoding="utf-8", newline="\n") as out:
            resolved = resolve_sorted(lines)
            while batch := list(itertools.islice(resolved, _BATCH)):
                out.write("\n".join(batch))
                out.write("\n")
                if sink is not None:
                    sink(batch)
                count += len(batch)
    spool.path.unlink(missing_ok=True)
    return count


def _unique(lines: Iterable[str]) -> Iterator[str]:
    previous = None
    for text in lines:
        if text != previous:
            yield text
            previous = text


def merge_lines(lines: Iterable[str], *, work_dir: str | Path, run_lines: int = RUN_LINES) -> Iterator[str]:
    """The merged graph of any iterable of lines (duplicates allowed), as sorted lines."""
    return resolve_sorted(sorted_unique(lines, work_dir=work_dir, run_lines=run_lines))


def graph_lines(graph) -> list[str]:
    """An rdflib graph's triples as sorted distinct N-Triples lines."""
    return sorted({nt_line(*triple) for triple in graph})
