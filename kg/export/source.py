"""Read the graph a user points an export at: a graph file, or a folder holding graph.ttl.

The file is parsed once by pyoxigraph (fast, strict) and written to a private work
folder as N-Triples, one distinct triple a line, sorted by code point, so a subject's
triples come together. Every exporter streams these lines; none holds the graph in
memory. Named graphs in a TriG/N-Quads input are merged, since every exporter
re-partitions the facts itself. Blank nodes are kept here and reported by the
exporters that cannot carry them.

A graph written by `kg build` is already sorted that way and is not sorted again.
"""
from __future__ import annotations

import errno
import logging
import re
import shutil
import weakref
from collections.abc import Iterator
from pathlib import Path

from kg.errors import GraphFileError, OutputPathError
from kg.export import spool
from kg.export import terms as T
from kg.rdf.files import GRAPH_FILE_NAME, graph_format, open_graph_file, resolve_graph_path

__all__ = ["GRAPH_FILE_NAME", "SourceGraph", "read_graph", "resolve_graph_path"]

log = logging.getLogger(__name__)

# A minted resource IRI (see terms.kind_of) as the subject or the object of an N-Triples line.
_KINDS = "|".join(map(re.escape, T.KINDS))
_SUBJECT_KIND = re.compile(rf"(?m)^<([^>]*/)({_KINDS})/[^/#?>]+> ")
_OBJECT_KIND = re.compile(rf"(?m)<([^>]*/)({_KINDS})/[^/#?>]+> \.$")


class SourceGraph:
    """The distinct triples of one graph file, as sorted N-Triples lines in a work folder.

    Use it in a `with` block (or call close()) to remove the work folder at once; it is
    removed in any case when the object is garbage-collected or the program ends.
    """

    def __init__(self, path: Path, work: Path, lines_file: Path, count: int):
        self.path = path
        self.work = work
        self.lines_file = lines_file
        self.count = count
        self.derived: dict[str, object] = {}  # spools other modules made from these lines, by name
        self._kinds: set[tuple[str, str]] | None = None
        self._cleanup = weakref.finalize(self, shutil.rmtree, str(work), True)

    def __len__(self) -> int:
        return self.count

    def __enter__(self) -> SourceGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Remove the work folder."""
        self._cleanup()

    def lines(self) -> Iterator[str]:
        """The N-Triples lines (`<s> <p> <o> .` and a newline), sorted, each triple once."""
        return spool.read_lines(self.lines_file)

    def blocks(self) -> Iterator[list[str]]:
        """The same lines in lists of a few megabytes."""
        return spool.read_blocks(self.lines_file)

    def id_kinds(self) -> set[tuple[str, str]]:
        """(data base, kind) of every minted resource IRI used as a subject or an object."""
        if self._kinds is None:
            kinds: set[tuple[str, str]] = set()
            for block in self.blocks():
                text = "".join(block)
                kinds.update(_SUBJECT_KIND.findall(text))
                kinds.update(_OBJECT_KIND.findall(text))
            self._kinds = kinds
        return self._kinds

    def prefixes(self) -> dict[str, str]:
        """Vocabulary prefixes plus the per-kind id prefixes the graph's IRIs use."""
        return {**T.VOCAB_PREFIXES, **T.prefixes_for_kinds(self.id_kinds())}


def read_graph(path: str | Path, *, work_dir: str | Path | None = None) -> SourceGraph:
    """Parse the graph at `path` (see resolve_graph_path) into sorted distinct N-Triples; clear errors on bad input.

    The work folder goes inside `work_dir` (default: the graph file's folder; the system's
    temporary folder when that is not writable).
    """
    file = resolve_graph_path(path)
    fmt = graph_format(file).ox
    work = spool.make_work_folder(work_dir if work_dir is not None else file.parent)
    try:
        raw = work / "parsed.nt"
        _to_ntriples(file, fmt, raw)
        lines_file, count = _sorted_distinct(raw, work)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    if count == 0:
        shutil.rmtree(work, ignore_errors=True)
        raise GraphFileError(str(file), "the graph is empty", hint="nothing to export; check the build's log")
    log.info("read %d triples from %s", count, file)
    return SourceGraph(file, work, lines_file, count)


def _to_ntriples(file: Path, fmt, target: Path) -> None:
    import pyoxigraph as ox

    datasets = (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS)
    try:
        with target.open("wb") as out:
            if file.suffix.lower() == ".gz":
                with open_graph_file(file) as stream:
                    _serialize(ox.parse(stream, fmt), out, fmt in datasets)
            else:
                _serialize(ox.parse(path=str(file), format=fmt), out, fmt in datasets)
    except SyntaxError as exc:
        raise GraphFileError(str(file), f"not valid {fmt.name}: {exc}",
                             hint="rebuild it with `kg build`, or fix the line named") from exc
    except (OSError, EOFError) as exc:
        if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT):
            raise OutputPathError(str(target.parent.parent), f"no space left for temporary files: {exc}",
                                  hint="free some space, or write the output to another disk") from exc
        raise GraphFileError(str(file), f"cannot be read: {exc}") from exc


def _serialize(quads, out, named_graphs: bool) -> None:
    import pyoxigraph as ox

    if named_graphs:
        quads = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
    ox.serialize(quads, out, ox.RdfFormat.N_TRIPLES)


def _sorted_distinct(raw: Path, work: Path) -> tuple[Path, int]:
    """The lines of `raw` sorted and distinct: `raw` itself when it already is (a graph from `kg build`)."""
    count, last = 0, None
    for block in spool.read_blocks(raw, spool.RUN_BYTES):
        if sorted(block) != block or (last is not None and block[0] <= last) or len(set(block)) != len(block):
            break
        count += len(block)
        last = block[-1]
    else:
        return raw, count
    runs = spool.SortedRuns(work, "triples")
    for block in spool.read_blocks(raw, spool.RUN_BYTES):
        runs.add_block(block)
    target = work / "sorted.nt"
    count = runs.write(target)
    raw.unlink()
    return target, count
