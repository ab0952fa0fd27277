"""Provenance by named graph: one graph per article, shared entity descriptions apart.

A triple goes where its subject belongs:

- the article node's own triples (headline, date, mentions...) -> graph <article IRI>
- a fact's triples (Visit, Meeting, Agreement, EconomicFigure, Position: anything with
  prov:wasDerivedFrom) -> the graph of every article it is derived from
- everything else (Person, Country, Organization, Location descriptions, the VISITED
  and MET_WITH shortcuts) -> the entities graph: the default graph in TriG/N-Quads
  files unless a name is given, the build's graph for `kg load sparql --per-article`

Where a subject belongs is read from its own triples (its type, its prov:wasDerivedFrom),
so the partition is one pass over the source's sorted lines; the quads are then sorted
on disk by graph. The union of all graphs is the input graph, triple for triple. Files
are sorted (the same graph gives the same bytes) and written to a temporary name first.
"""
from __future__ import annotations

import hashlib
import itertools
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.export import spool
from kg.rdf.prefixes import DATA_BASE
from kg.export import terms as T
from kg.export.files import atomic_output
from kg.export.source import SourceGraph

log = logging.getLogger(__name__)

_ARTICLE_TYPE = f" <{T.RDF_TYPE}> <{T.SCHEMA_ARTICLE}> .\n"
_ARTICLE_TERM = f"<{T.SCHEMA_ARTICLE}>"


@dataclass
class DatasetSummary:
    """What a dataset file holds."""

    triples: int = 0
    article_graphs: int = 0
    entity_triples: int = 0


def partitioned(source: SourceGraph) -> Iterator[tuple[str | None, Iterator[str]]]:
    """(graph, its N-Triples lines) per graph: None (the entity descriptions) first, then article IRIs in order.

    Each group's lines are read from disk as the group is consumed.
    """
    rows = spool.read_lines(_partition_file(source))
    for key, group in itertools.groupby(rows, key=lambda row: row[:row.index("\t")]):
        yield (key or None), (row[len(key) + 1:] for row in group)


def partition_counts(source: SourceGraph) -> dict[str | None, int]:
    """Triples per graph (None: the entity descriptions)."""
    return {graph: sum(1 for _ in lines) for graph, lines in partitioned(source)}


def _partition_file(source: SourceGraph) -> Path:
    """Sorted `graph<TAB>N-Triples line` rows, the graph empty for the entity descriptions."""
    cached = source.derived.get("partition")
    if isinstance(cached, Path):
        return cached
    runs = spool.SortedRuns(source.work, "partition")
    derived = f" <{T.PROV_DERIVED}> <"
    subject, group = None, []

    def flush() -> None:
        owners: set[str] = set()
        if subject[0] == "<":  # blank nodes belong to no article
            cut = len(subject)
            for line in group:
                if line.endswith(_ARTICLE_TYPE):
                    owners.add(subject[1:-1])
                elif line.startswith(derived, cut) and line.endswith("> .\n"):
                    owners.add(line[cut + len(derived):-4])
        for graph in owners or ("",):
            runs.add_block([f"{graph}\t{line}" for line in group])

    for line in source.lines():
        s = line[:line.index(" ")]
        if s != subject:
            if subject is not None:
                flush()
            subject, group = s, []
        group.append(line)
    if subject is not None:
        flush()
    path = source.work / "partition.tsv"
    runs.write(path)
    source.derived["partition"] = path
    return path


def article_iris(source: SourceGraph) -> Iterator[str]:
    """The IRIs of the graph's articles (schema:NewsArticle), sorted."""
    found = (line[1:line.index(">")] + "\n" for line in source.lines()
             if line.endswith(_ARTICLE_TYPE) and line[0] == "<")
    for line in spool.sort_lines(found, source.work, "articles"):
        yield line[:-1]


def build_graph_iri(source: SourceGraph) -> str:
    """The named graph for a whole build: <base>graph/<hash of the articles' IRIs>.

    The same corpus gives the same graph IRI on every build, so loading an improved build
    replaces the previous one instead of piling up beside it. A graph with no articles is
    named by the hash of its content.
    """
    cached = source.derived.get("build_graph_iri")
    if isinstance(cached, str):
        return cached
    digest = hashlib.sha256()
    base = None
    count = 0
    for i, article in enumerate(article_iris(source)):
        digest.update(("\n" if i else "").encode() + article.encode("utf-8"))
        count += 1
        if base is None and (hit := T.kind_of(article)):
            base = hit[0]
    if count == 0:
        digest = hashlib.sha256()
        for i, line in enumerate(source.lines()):
            digest.update(("\n" if i else "").encode() + line[:-3].encode("utf-8"))
    if base is None:
        base = next((hit[0] for s, _group in spool.subject_groups(source.lines())
                     if s[0] == "<" and (hit := T.kind_of(s[1:-1]))), DATA_BASE)
    iri = f"{base}graph/{digest.hexdigest()[:16]}"
    source.derived["build_graph_iri"] = iri
    return iri


def prefixes_for(source: SourceGraph) -> dict[str, str]:
    """Vocabulary prefixes plus the per-kind id prefixes the graph's IRIs use."""
    return source.prefixes()


def write_dataset(source: SourceGraph, out: str | Path, *, fmt: str = "trig", compress: bool | None = None,
                  entities_graph: str | None = None) -> tuple[Path, DatasetSummary]:
    """Write the article-partitioned dataset as TriG or N-Quads: the file written, and what it holds."""
    import pyoxigraph as ox

    if fmt not in ("trig", "nquads"):
        raise ValueError(f"unknown dataset format {fmt!r}; expected trig or nquads")
    out = Path(out)
    compress = out.suffix == ".gz" if compress is None else compress
    if compress and out.suffix != ".gz":
        out = out.with_name(out.name + ".gz")
    summary = DatasetSummary()
    entities = f" <{entities_graph}> .\n" if entities_graph else " .\n"
    quads_file = source.work / "dataset.nq"
    with quads_file.open("w", encoding="utf-8", newline="") as nq:
        for graph, lines in partitioned(source):
            ending = entities if graph is None else f" <{graph}> .\n"
            n = 0
            for line in lines:
                nq.write(line[:-3] + ending)
                n += 1
            summary.triples += n
            if graph is None:
                summary.entity_triples = n
            else:
                summary.article_graphs += 1
    try:
        with atomic_output(out, mode="wb", compress=compress) as stream:
            if fmt == "trig":
                ox.serialize(ox.parse(path=str(quads_file), format=ox.RdfFormat.N_QUADS), stream,
                             ox.RdfFormat.TRIG, prefixes=prefixes_for(source))
            else:
                with quads_file.open("rb") as nq_bytes:
                    while chunk := nq_bytes.read(1 << 20):
                        stream.write(chunk)
    finally:
        quads_file.unlink(missing_ok=True)
    log.info("wrote %d quads in %d article graphs to %s", summary.triples, summary.article_graphs, out)
    return out, summary
