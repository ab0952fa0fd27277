"""graph.ttl written by Oxigraph's Turtle serializer from sorted N-Triples lines, streaming.

Subjects come in code-point order of their N-Triples lines, so the same graph always
gives the same bytes. The prefixes are vnkg's (kg.rdf.namespaces.bind_prefixes: the
vocabularies and one per resource kind, `person:`, `country:`...), declared in sorted
order at the top; Oxigraph's own declarations (in no fixed order) are replaced.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import BinaryIO

from kg.rdf.iri import DEFAULT_BASE

_CHUNK = 1 << 16


def prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """vnkg's prefixes for `base`, as bind_prefixes binds them on an rdflib graph."""
    from rdflib import Graph

    from kg.rdf.namespaces import bind_prefixes

    graph = Graph(bind_namespaces="none")
    bind_prefixes(graph, base)
    return {prefix: str(namespace) for prefix, namespace in sorted(graph.namespaces())}


class _LineReader:
    """A binary reader over an iterator of N-Triples lines, for pyoxigraph.parse."""

    def __init__(self, lines: Iterable[str]):
        self._lines = iter(lines)
        self._buffer = bytearray()
        self.count = 0

    def read(self, size: int = -1) -> bytes:
        want = _CHUNK if size is None or size < 0 else size
        while len(self._buffer) < want:
            batch = []
            for text in self._lines:
                batch.append(text)
                if len(batch) >= 512:
                    break
            if not batch:
                break
            self.count += len(batch)
            self._buffer += ("\n".join(batch) + "\n").encode("utf-8")
        out = bytes(self._buffer[:want])
        del self._buffer[:want]
        return out



class _HeaderWriter:
    """Writes our sorted @prefix block first and drops the serializer's own @prefix lines."""

    def __init__(self, target: BinaryIO, header: bytes):
        self._target = target
        self._header = header
        self._pending = bytearray()
        self._in_header = True

    def write(self, data) -> int:
        if not self._in_header:
            return self._target.write(data)
        self._pending += data
        while self._in_header:
            end = self._pending.find(b"\n")
            if end < 0:
                break
            first = bytes(self._pending[:end + 1])
            if first.startswith(b"@prefix "):
                del self._pending[:end + 1]
                continue
            self._in_header = False
            self._target.write(self._header)
            self._target.write(bytes(self._pending))
            self._pending.clear()
        return len(data)

    def flush(self) -> None:
        if self._in_header:
            self._in_header = False
            self._target.write(self._header)
            self._target.write(bytes(self._pending))
            self._pending.clear()
        self._target.flush()


def write_turtle(lines: Iterable[str], target: BinaryIO, *, base: str = DEFAULT_BASE) -> int:
    """Serialise sorted N-Triples `lines` as Turtle into the binary file `target`; returns the number of triples."""
    import pyoxigraph as ox

    names = prefixes(base)
    header = "".join(f"@prefix {p}: <{iri}> .\n" for p, iri in names.items()) + "\n"
    reader = _LineReader(lines)
    writer = _HeaderWriter(target, header.encode("utf-8"))
    ox.serialize(ox.parse(reader, format=ox.RdfFormat.N_TRIPLES), writer, format=ox.RdfFormat.TURTLE,
                 prefixes=names)
    writer.flush()
    return reader.count


def iter_file_lines(path) -> Iterator[str]:
    """The lines of an N-Triples file, without line ends."""
    with open(path, encoding="utf-8", newline="\n") as handle:
        for text in handle:
            yield text[:-1]
