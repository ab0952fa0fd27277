"""Read the graph a user points an export at: a graph file, or a folder holding graph.ttl.

Parsing goes through pyoxigraph (fast, strict). The result is a plain list of triples;
named graphs in a TriG/N-Quads input are merged, since every exporter re-partitions
the facts itself. Blank nodes are kept here and reported by the exporters that cannot
carry them.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import GraphFileError

log = logging.getLogger(__name__)

GRAPH_FILE_NAME = "graph.ttl"

_FORMATS = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".xml": "RDF_XML",
    ".jsonld": "JSON_LD",
}


@dataclass
class SourceGraph:
    """The triples of one graph file, with where they came from."""

    path: Path
    triples: list = field(default_factory=list)  # pyoxigraph.Triple

    def __len__(self) -> int:
        return len(self.triples)


def resolve_graph_path(path: str | Path) -> Path:
    """The graph file meant by `path`: the file itself, or DIR/graph.ttl for a folder."""
    p = Path(path)
    if p.is_dir():
        candidate = p / GRAPH_FILE_NAME
        if not candidate.is_file():
            raise GraphFileError(str(p), f"the folder has no {GRAPH_FILE_NAME}",
                                 hint=f"build one with `kg build ARTICLES --out {p}` or give the graph file itself")
        return candidate
    if not p.exists():
        raise GraphFileError(str(p), "no such file or folder",
                             hint="give a graph file (.ttl, .nt, .trig, .nq) or the folder `kg build` wrote")
    if not p.is_file():
        raise GraphFileError(str(p), "not a regular file")
    return p


def rdf_format(path: Path):
    """The pyoxigraph format for a file name, gzip suffix allowed."""
    import pyoxigraph as ox

    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    name = _FORMATS.get(suffixes[-1] if suffixes else "")
    if name is None:
        raise GraphFileError(str(path), "unknown graph file type",
                             hint=f"use one of {', '.join(sorted(_FORMATS))} (optionally .gz)")
    return getattr(ox.RdfFormat, name)


def read_graph(path: str | Path) -> SourceGraph:
    """Parse the graph at `path` (see resolve_graph_path) into triples; clear errors on bad input."""
    import gzip

    import pyoxigraph as ox

    file = resolve_graph_path(path)
    fmt = rdf_format(file)
    try:
        if file.suffix.lower() == ".gz":
            with gzip.open(file, "rb") as stream:
                quads = list(ox.parse(stream, fmt))
        else:
            quads = list(ox.parse(path=str(file), format=fmt))
    except SyntaxError as exc:
        raise GraphFileError(str(file), f"not valid {fmt.name}: {exc}",
                             hint="rebuild it with `kg build`, or fix the line named") from exc
    except (OSError, EOFError) as exc:
        raise GraphFileError(str(file), f"cannot be read: {exc}") from exc
    seen = set()
    triples = []
    for q in quads:
        t = ox.Triple(q.subject, q.predicate, q.object)
        if t not in seen:
            seen.add(t)
            triples.append(t)
    if not triples:
        raise GraphFileError(str(file), "the graph is empty", hint="nothing to export; check the build's log")
    log.info("read %d triples from %s", len(triples), file)
    return SourceGraph(path=file, triples=triples)
