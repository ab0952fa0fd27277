"""Graph files: the one table of RDF file formats vnkg reads, and the one way to find and read a graph file.

Every command that takes a graph (`kg serve`, `kg query`, `kg export`, `kg load`,
`kg viz`, `kg evaluate`) names it the same way: a graph file, whose format its suffix
tells (`.gz` allowed where the reader streams), or a folder holding the `graph.ttl`
that `kg build --out DIR` writes.

    fmt = graph_format(Path("out/graph.trig"))    # GraphFormat: name, suffixes, parser names
    path = resolve_graph_path("output/")          # output/graph.ttl
    graph = read_rdflib(path)                     # an rdflib.Graph, named graphs merged
"""
from __future__ import annotations

import gzip
from dataclasses import dataclass
from pathlib import Path

from kg.errors import GraphFileError

GRAPH_FILE_NAME = "graph.ttl"
"""What `kg build --out DIR` writes, and what a folder given as a graph stands for."""


@dataclass(frozen=True)
class GraphFormat:
    name: str  # as people write it: 'Turtle', 'N-Quads'
    suffixes: tuple[str, ...]
    oxigraph: str  # the pyoxigraph.RdfFormat attribute
    rdflib: str  # rdflib's parser name
    media_type: str
    quads: bool = False  # holds named graphs
    prefixes: bool = False  # may declare @prefix lines at its top

    @property
    def ox(self):
        """The pyoxigraph.RdfFormat."""
        import pyoxigraph

        return getattr(pyoxigraph.RdfFormat, self.oxigraph)


FORMATS: tuple[GraphFormat, ...] = (
    GraphFormat("Turtle", (".ttl", ".turtle"), "TURTLE", "turtle", "text/turtle", prefixes=True),
    GraphFormat("N-Triples", (".nt",), "N_TRIPLES", "nt", "application/n-triples"),
    GraphFormat("N-Quads", (".nq",), "N_QUADS", "nquads", "application/n-quads", quads=True),
    GraphFormat("TriG", (".trig",), "TRIG", "trig", "application/trig", quads=True, prefixes=True),
    GraphFormat("N3", (".n3",), "N3", "n3", "text/n3", prefixes=True),
    GraphFormat("RDF/XML", (".rdf", ".owl", ".xml"), "RDF_XML", "xml", "application/rdf+xml"),
    GraphFormat("JSON-LD", (".jsonld",), "JSON_LD", "json-ld", "application/ld+json"),
)
_BY_SUFFIX = {suffix: fmt for fmt in FORMATS for suffix in fmt.suffixes}
SUFFIXES: tuple[str, ...] = tuple(_BY_SUFFIX)


def find_format(path: str | Path) -> GraphFormat | None:
    """The format a file name says ('graph.nq.gz' -> N-Quads), or None."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return _BY_SUFFIX.get(suffixes[-1]) if suffixes else None


def graph_format(path: str | Path) -> GraphFormat:
    """`find_format`, or a GraphFileError that lists the suffixes known."""
    fmt = find_format(path)
    if fmt is None:
        raise GraphFileError(str(path), "not a graph file type vnkg reads",
                             hint=f"use one of {', '.join(sorted(SUFFIXES))} (optionally .gz)")
    return fmt


def is_graph_file(path: Path) -> bool:
    return path.is_file() and find_format(path) is not None


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


def open_graph_file(path: Path):
    """The file's bytes as a stream, ungzipped when it ends in .gz."""
    return gzip.open(path, "rb") if path.suffix.lower() == ".gz" else open(path, "rb")


def read_rdflib(path: str | Path):
    """The graph at `path` (a file or a folder, see resolve_graph_path) as one rdflib.Graph:
    the named graphs of a TriG or N-Quads file merged. A file that does not parse is a
    GraphFileError naming it and the parser's complaint."""
    from rdflib import Dataset, Graph

    file = resolve_graph_path(path)
    fmt = graph_format(file)
    try:
        with open_graph_file(file) as stream:
            if fmt.quads:
                dataset = Dataset()
                dataset.parse(stream, format=fmt.rdflib)
                graph = Graph()
                for s, p, o, _ in dataset.quads((None, None, None, None)):
                    graph.add((s, p, o))
                return graph
            return Graph().parse(stream, format=fmt.rdflib)
    except OSError as exc:
        raise GraphFileError(str(file), f"cannot be read: {exc}") from exc
    except Exception as exc:  # rdflib raises many kinds of parse errors
        raise GraphFileError(str(file), f"not valid {fmt.name}: {exc}",
                             hint="rebuild it with `kg build`, or fix the line named") from exc
