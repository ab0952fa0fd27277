"""Where a served graph comes from: RDF files, a folder holding graph.ttl, or an Oxigraph store folder.

`load_store` fills a persistent Oxigraph store folder from graph files (atomically: a
temporary folder next to the target, renamed when complete); `open_store` gives a
pyoxigraph Store for a source, in memory for files, read-only for a store folder
unless asked to write (or copied into memory, which answers queries faster);
`source_fingerprint` tells one version of a source from the next; `graph_prefixes`
gives the prefixes a graph is written with, its own base IRI included. This module
never touches the network.
"""
from __future__ import annotations

import gc
import gzip
import logging
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from kg.errors import GraphSourceError
from kg.rdf.files import GRAPH_FILE_NAME, SUFFIXES, find_format, open_graph_file
from kg.rdf.prefixes import DATA_BASE, VOCABULARY_PREFIXES, resource_prefixes

log = logging.getLogger(__name__)


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
    """The pyoxigraph RdfFormat for a graph file, from its suffix (kg.rdf.files)."""
    fmt = find_format(path)
    if fmt is None:
        raise GraphSourceError(f"{path}: not an RDF file vnkg reads (extensions: {' '.join(sorted(SUFFIXES))})")
    return fmt.ox


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
    if (path / GRAPH_FILE_NAME).is_file():
        return GraphSource(files=(path / GRAPH_FILE_NAME,))
    files = tuple(sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES and p.is_file()))
    if not files:
        raise GraphSourceError(f"{path}: folder holds no graph.ttl, no RDF file and no Oxigraph store "
                               f"(run `kg build ARTICLES --out {path}` first)")
    return GraphSource(files=files)


def load_files(store, files: Iterable[Path], *, bulk: bool) -> None:
    """Load graph files (gzipped too) into a pyoxigraph store; a bad file is a GraphSourceError naming it."""
    for file in files:
        fmt = rdf_format(file)
        load = store.bulk_load if bulk else store.load
        try:
            if file.suffix.lower() == ".gz":
                with open_graph_file(file) as stream:
                    load(stream, format=fmt)
            else:
                load(path=str(file), format=fmt)
        except (SyntaxError, EOFError, gzip.BadGzipFile) as exc:
            raise GraphSourceError(f"{file}: not valid RDF: {exc} (fix or rebuild the file)") from None
        except OSError as exc:
            raise GraphSourceError(f"{file}: cannot be read: {exc}") from None
        log.info("loaded %s", file)


def open_store(source: GraphSource, *, writable: bool = False, in_memory: bool = False):
    """A pyoxigraph Store for `source`: files are loaded into memory, a store folder is opened
    read-only (or read-write when `writable`, for SPARQL Update; or copied into memory when
    `in_memory`)."""
    import pyoxigraph

    if source.store_dir is None:
        store = pyoxigraph.Store()
        load_files(store, source.files, bulk=False)
        return store
    try:
        if writable:
            return pyoxigraph.Store(str(source.store_dir))
        on_disk = pyoxigraph.Store.read_only(str(source.store_dir))
    except OSError as exc:
        raise GraphSourceError(f"{source.store_dir}: cannot open the Oxigraph store: {exc} "
                               f"(is another process writing it? refill it with `kg store`)") from None
    if not in_memory:
        return on_disk
    store = pyoxigraph.Store()
    store.bulk_extend(on_disk.quads_for_pattern(None, None, None, None))
    return store


def source_fingerprint(source: GraphSource) -> tuple:
    """What changes when the source is replaced: the store folder's inode, or each file's inode,
    size and modification time (vnkg writes files by renaming a new one over the old)."""
    if source.store_dir is not None:
        info = os.stat(source.store_dir)
        return (info.st_dev, info.st_ino)
    stats = [os.stat(path) for path in source.files]
    return tuple((s.st_dev, s.st_ino, s.st_size, s.st_mtime_ns) for s in stats)


def store_size(store_dir: Path) -> int:
    """Bytes the files of a store folder take on disk."""
    return sum(p.stat().st_size for p in Path(store_dir).rglob("*") if p.is_file())


# Memory an in-memory copy takes per byte of store folder (measured on generated graphs).
IN_MEMORY_FACTOR = 3


def fits_in_memory(store_dir: Path, copies: int) -> bool:
    """True when `copies` in-memory copies of the store would take under half the memory available."""
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            fields = dict(line.split(":", 1) for line in meminfo)
        available = int(fields["MemAvailable"].split()[0]) * 1024
    except (OSError, KeyError, ValueError):
        return False
    return store_size(store_dir) * IN_MEMORY_FACTOR * copies < available // 2


_PREFIX_LINE = re.compile(r"^\s*(?:@prefix|PREFIX)\s+([A-Za-z][\w.-]*|):\s*<([^>]*)>\s*\.?\s*$", re.IGNORECASE)

# A class of each resource kind, to find the base IRI resources were minted under.
_KIND_CLASSES = (("person", "https://w3id.org/vnkg/ontology#Person"),
                 ("country", "https://w3id.org/vnkg/ontology#Country"),
                 ("article", "https://schema.org/NewsArticle"),
                 ("organization", "https://w3id.org/vnkg/ontology#Organization"),
                 ("visit", "https://w3id.org/vnkg/ontology#Visit"),
                 ("meeting", "https://w3id.org/vnkg/ontology#Meeting"))


def declared_prefixes(path: Path, max_lines: int = 200) -> dict[str, str]:
    """The @prefix/PREFIX lines at the top of a Turtle or TriG file."""
    found: dict[str, str] = {}
    fmt = find_format(path)
    if fmt is None or not fmt.prefixes or path.suffix.lower() == ".gz":
        return found
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for _, line in zip(range(max_lines), handle):
                match = _PREFIX_LINE.match(line)
                if match:
                    found[match.group(1)] = match.group(2)
                elif line.strip() and not line.lstrip().startswith("#"):
                    break
    except OSError:
        pass
    return found


def base_iri(store) -> str | None:
    """The base IRI the graph's resources were minted under (`https://w3id.org/vnkg/id/` by default)."""
    import pyoxigraph

    rdf_type = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    for kind, cls in _KIND_CLASSES:
        for quad in store.quads_for_pattern(None, rdf_type, pyoxigraph.NamedNode(cls)):
            if isinstance(quad.subject, pyoxigraph.NamedNode):
                head, sep, _ = quad.subject.value.rpartition(f"/{kind}/")
                if sep:
                    return head + "/"
            break
    return None


def graph_prefixes(store, source: GraphSource) -> dict[str, str]:
    """The prefixes of the graph: the vocabularies vnkg writes, one per resource kind under the
    graph's own base IRI, and whatever its Turtle files declare."""
    base = base_iri(store) or DATA_BASE
    prefixes = dict(VOCABULARY_PREFIXES)
    prefixes.update(resource_prefixes(base))
    for path in source.files:
        prefixes.update(declared_prefixes(path))
    prefixes.pop("", None)
    return prefixes


def swap_folder(new: Path, target: Path) -> None:
    """Put the folder `new` in the place of `target` (which may not exist) with renames only:
    a reader sees the old folder or the new one, never a half-filled one."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, old)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


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
        load_files(store, files, bulk=True)
        store.optimize()
        store.flush()
        del store
        gc.collect()  # the store closes its files when the object is dropped
        swap_folder(tmp, store_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    log.info("filled %s from %d file(s)", store_dir, len(files))
