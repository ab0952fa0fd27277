"""Provenance by named graph: one graph per article, shared entity descriptions apart.

A triple goes where its subject belongs:

- the article node's own triples (headline, date, mentions...) -> graph <article IRI>
- a fact's triples (Visit, Meeting, Agreement, EconomicFigure, Position: anything with
  prov:wasDerivedFrom) -> the graph of every article it is derived from
- everything else (Person, Country, Organization, Location descriptions, the VISITED
  and MET_WITH shortcuts) -> the entities graph: the default graph in TriG/N-Quads
  files unless a name is given, the build's graph for `kg load sparql --per-article`

The union of all graphs is the input graph, triple for triple. Files are written by
pyoxigraph, sorted (the same graph gives the same bytes), to a temporary name first.
"""
from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from pathlib import Path

from kg.export import terms as T
from kg.export.files import atomic_output
from kg.export.source import SourceGraph

log = logging.getLogger(__name__)


def article_of(source: SourceGraph) -> dict[str, list[str]]:
    """For each subject that belongs to articles: the article IRIs whose graphs hold its triples."""
    import pyoxigraph as ox

    articles = {t.subject.value for t in source.triples
                if t.predicate.value == T.RDF_TYPE and isinstance(t.object, ox.NamedNode)
                and t.object.value == T.SCHEMA_ARTICLE and isinstance(t.subject, ox.NamedNode)}
    owners: dict[str, set[str]] = defaultdict(set)
    for a in articles:
        owners[a].add(a)
    for t in source.triples:
        if t.predicate.value == T.PROV_DERIVED and isinstance(t.object, ox.NamedNode) \
                and isinstance(t.subject, ox.NamedNode):
            owners[t.subject.value].add(t.object.value)
    return {s: sorted(a) for s, a in owners.items()}


def partition(source: SourceGraph) -> dict[str | None, list]:
    """Triples by graph: article IRI -> its triples; None -> the entity descriptions."""
    owners = article_of(source)
    graphs: dict[str | None, list] = defaultdict(list)
    for t in source.triples:
        subject = getattr(t.subject, "value", None)
        for g in owners.get(subject) or [None]:
            graphs[g].append(t)
    return dict(graphs)


def build_graph_iri(source: SourceGraph) -> str:
    """The named graph for a whole build: <base>graph/<hash of the articles' IRIs>.

    The same corpus gives the same graph IRI on every build, so loading an improved build
    replaces the previous one instead of piling up beside it. A graph with no articles is
    named by the hash of its content.
    """
    import pyoxigraph as ox

    articles = sorted(t.subject.value for t in source.triples if t.predicate.value == T.RDF_TYPE
                      and isinstance(t.object, ox.NamedNode) and t.object.value == T.SCHEMA_ARTICLE)
    base = next((hit[0] for a in articles if (hit := T.kind_of(a))), None)
    if base is None:
        base = next((hit[0] for t in source.triples
                     if isinstance(t.subject, ox.NamedNode) and (hit := T.kind_of(t.subject.value))),
                    "https://w3id.org/vnkg/id/")
    key_parts = articles or sorted(str(t) for t in source.triples)
    digest = hashlib.sha256("\n".join(key_parts).encode("utf-8")).hexdigest()[:16]
    return f"{base}graph/{digest}"


def prefixes_for(source: SourceGraph) -> dict[str, str]:
    """Vocabulary prefixes plus the per-kind id prefixes the graph's IRIs use."""
    import pyoxigraph as ox

    iris = {term.value for t in source.triples for term in (t.subject, t.object) if isinstance(term, ox.NamedNode)}
    return {**T.VOCAB_PREFIXES, **T.id_prefixes(iris)}


def write_dataset(source: SourceGraph, out: str | Path, *, fmt: str = "trig", compress: bool | None = None,
                  entities_graph: str | None = None) -> tuple[Path, dict[str | None, int]]:
    """Write the article-partitioned dataset as TriG or N-Quads: the file written, triples per graph."""
    import pyoxigraph as ox

    out = Path(out)
    compress = out.suffix == ".gz" if compress is None else compress
    if compress and out.suffix != ".gz":
        out = out.with_name(out.name + ".gz")
    fmt_obj = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}[fmt]
    graphs = partition(source)
    quads = []
    sizes = {}
    for g in sorted(graphs, key=lambda g: (g is not None, g or "")):
        name = g if g is not None else entities_graph
        graph_name = ox.NamedNode(name) if name else ox.DefaultGraph()
        rows = sorted(graphs[g], key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
        quads.extend(ox.Quad(t.subject, t.predicate, t.object, graph_name) for t in rows)
        sizes[name] = sizes.get(name, 0) + len(rows)
    with atomic_output(out, mode="wb", compress=compress) as stream:
        if fmt == "trig":
            ox.serialize(quads, stream, fmt_obj, prefixes=prefixes_for(source))
        else:
            ox.serialize(quads, stream, fmt_obj)
    log.info("wrote %d quads in %d graphs to %s", len(quads), len(sizes), out)
    return out, sizes
