"""Where a served graph comes from: RDF files, a folder holding graph.ttl, or an Oxigraph store folder.

`load_store` fills a persistent Oxigraph store folder from graph files (atomically: a
temporary folder next to the target, renamed when complete); `open_store` gives a
pyoxigraph Store for a source, in memory for files, read-only for a store folder
unless asked to write. This module never touches the network.
"""
from __future__ import annotations

import gc
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from kg.errors import GraphSourceError

log = logging.getLogger(__name__)

# File extension -> pyoxigraph RdfFormat attribute name.
RDF_EXTENSIONS: dict[str, str] = {
    ".ttl": "TURTLE",
    ".turtle": "TURTLE",
    ".nt": "N_TRIPLES",
    ".nq": "N_QUADS",
    ".trig": "TRIG",
    ".n3": "N3",
    ".rdf": "RDF_XML",
    ".owl": "RDF_XML",
    ".jsonld": "JSON_LD",
}


@dataclass(frozen=True)
class GraphSource:
    """What to serve: either RDF files (loaded into memory) or a persistent store folder."""

    files: tuple[Path, ...] = ()
    store_dir: Path | None = None

    @property
    def kind(self) -> str:
        return "persistent" if self.store_dir is not None else "memory"

    def describe(self) -> str:
        if self.store_dir is not None:
            return f"Oxigraph store {self.store_dir}"
        return ", ".join(str(p) for p in self.files)


def is_store_dir(path: Path) -> bool:
    """True when `path` is a folder written by Oxigraph (RocksDB files)."""
    return path.is_dir() and (path / "CURRENT").is_file() and any(path.glob("OPTIONS-*"))


def rdf_format(path: Path):
    """The pyoxigraph RdfFormat for a graph file, from its extension."""
    import pyoxigraph

    name = RDF_EXTENSIONS.get(path.suffix.lower())
    if name is None:
        known = " ".join(sorted(RDF_EXTENSIONS))
        raise GraphSourceError(f"{path}: not an RDF file vnkg reads (extensions: {known})")
    return getattr(pyoxigraph.RdfFormat, name)


def resolve_source(path: str | os.PathLike[str]) -> GraphSource:
    """Turn a command-line path into a GraphSource.

    A file is read as RDF; a store folder is opened as a store; any other folder
    is served from its graph.ttl, or else from every RDF file directly in it.
    """
    path = Path(path)
    if not path.exists():
        raise GraphSourceError(f"{path}: no such file or folder (build one with `kg build ARTICLES --out DIR`)")
    if path.is_file():
        rdf_format(path)
        return GraphSource(files=(path,))
    if is_store_dir(path):
        return GraphSource(store_dir=path)
    if (path / "graph.ttl").is_file():
        return GraphSource(files=(path / "graph.ttl",))
    files = tuple(sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in RDF_EXTENSIONS))
    if not files:
        raise GraphSourceError(f"{path}: folder holds no graph.ttl, no RDF file and no Oxigraph store "
                               f"(run `kg build ARTICLES --out {path}` first)")
    return GraphSource(files=files)


def _load_files(store, files: Iterable[Path], *, bulk: bool) -> None:
    for file in files:
        fmt = rdf_format(file)
        try:
            if bulk:
                store.bulk_load(path=str(file), format=fmt)
            else:
                store.load(path=str(file), format=fmt)
        except SyntaxError as exc:
            raise GraphSourceError(f"{file}: not valid RDF: {exc} (fix or rebuild the file)") from None
        except OSError as exc:
            raise GraphSourceError(f"{file}: cannot be read: {exc}") from None
        log.info("loaded %s", file)


def open_store(source: GraphSource, *, writable: bool = False):
    """A pyoxigraph Store for `source`: files are loaded into memory, a store folder is opened
    read-only (or read-write when `writable`, for SPARQL Update)."""
    import pyoxigraph

    if source.store_dir is None:
        store = pyoxigraph.Store()
        _load_files(store, source.files, bulk=False)
        return store
    try:
        if writable:
            return pyoxigraph.Store(str(source.store_dir))
        return pyoxigraph.Store.read_only(str(source.store_dir))
    except OSError as exc:
        raise GraphSourceError(f"{source.store_dir}: cannot open the Oxigraph store: {exc} "
                               f"(is another process writing it? refill it with `kg store`)") from None


def load_store(graph_paths: Iterable[str | os.PathLike[str]], store_dir: str | os.PathLike[str]) -> None:
    """Fill the Oxigraph store folder `store_dir` from graph files (or folders holding them).

    Atomic: the store is written in a temporary folder beside `store_dir` and renamed
    over it only when every file loaded, so a reader never sees a half-filled store.
    An existing folder that is not an Oxigraph store is never replaced.
    """
    import pyoxigraph

    store_dir = Path(store_dir)
    files: list[Path] = []
    for path in graph_paths:
        source = resolve_source(path)
        if source.store_dir is not None:
            raise GraphSourceError(f"{path}: is already an Oxigraph store; give the graph files to load")
        files.extend(source.files)
    if not files:
        raise GraphSourceError(f"{store_dir}: no graph file given to load")
    if store_dir.exists() and not is_store_dir(store_dir) and any(store_dir.iterdir()):
        raise GraphSourceError(f"{store_dir}: exists and is not an Oxigraph store; choose another --store folder")
    store_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{store_dir.name}.", suffix=".tmp", dir=store_dir.parent))
    try:
        store = pyoxigraph.Store(str(tmp))
        _load_files(store, files, bulk=True)
        store.optimize()
        store.flush()
        del store
        gc.collect()  # the store closes its files when the object is dropped
        old = None
        if store_dir.exists():
            old = store_dir.with_name(f".{store_dir.name}.old-{os.getpid()}")
            os.replace(store_dir, old)
        os.replace(tmp, store_dir)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("filled %s from %d file(s)", store_dir, len(files))
