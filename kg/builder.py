"""The whole job: files -> articles -> cleaned -> analysed -> one merged RDF graph, and its report.

`build_corpus` is what `kg build` runs; `build_graph` and `extract` are the same work
for Python users. A batch never dies on one bad article: it is reported (file,
reason) and the rest is built. Outputs are written to a temporary name and renamed.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from kg.article import Article, digest_of
from kg.clean import clean
from kg.errors import InputError, NothingBuiltError
from kg.rdf.build import ArticleGraph, headline
from kg.rdf.iri import DEFAULT_BASE
from kg.rdf.merge import resolve_conflicts
from kg.rdf.namespaces import bind_prefixes

log = logging.getLogger(__name__)


@dataclass
class ArticleReport:
    source_file: str
    path: str
    status: str  # ok | error
    line: int | None = None
    title: str | None = None
    date: str | None = None
    iri: str | None = None
    entities: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    error: str | None = None
    error_kind: str | None = None


@dataclass
class BuildResult:
    graph: Graph
    articles: list[ArticleReport]
    seconds: float = 0.0
    violations: list = field(default_factory=list)

    @property
    def ok(self) -> list[ArticleReport]:
        return [a for a in self.articles if a.status == "ok"]

    @property
    def failed(self) -> list[ArticleReport]:
        return [a for a in self.articles if a.status != "ok"]

    def totals(self) -> dict:
        entities, facts = Counter(), Counter()
        for a in self.ok:
            entities.update(a.entities)
            facts.update(a.facts)
        return {"articles": len(self.ok), "failed": len(self.failed), "triples": len(self.graph),
                "entities": dict(sorted(entities.items())), "facts": dict(sorted(facts.items())),
                "shacl_violations": len(self.violations), "seconds": round(self.seconds, 2)}


class Builder:
    """Holds the loaded pipeline; feed it articles, then take the graph."""

    def __init__(self, base: str = DEFAULT_BASE, ontology: str | None = None):
        from kg.nlp.pipeline import make_nlp
        from kg.nlp.recognizer import load_recognizer

        self.base = base
        self.nlp = make_nlp(ontology)
        self.graph = Graph()
        bind_prefixes(self.graph, base)
        self.writer = ArticleGraph(self.graph, base, gazetteers=load_recognizer(ontology).gaz)

    def add(self, article: Article) -> ArticleReport:
        from kg.nlp.pipeline import analyse

        article = clean(article)
        report = ArticleReport(article.source_file, article.path, "ok", line=article.line,
                               title=headline(article), date=article.date.isoformat() if article.date else None,
                               warnings=list(article.warnings),
                               dropped=[{"reason": d.reason, "text": d.text} for d in article.dropped])
        if not article.text.strip():
            report.status, report.error, report.error_kind = "error", "no text left after cleaning", "EmptyInputError"
            return report
        doc = analyse(self.nlp, article)
        report.iri = str(self.writer.add(article, doc))
        report.entities = dict(sorted(Counter(kind for kind, _ in (doc._.entities or {})).items()))
        facts = Counter(f.kind for f in doc._.relations or [])
        if doc._.positions:
            facts["position"] = len(doc._.positions)
        report.facts = dict(sorted(facts.items()))
        return report

    def finish(self) -> Graph:
        resolve_conflicts(self.graph)
        return self.graph


def build_corpus(paths: Iterable[str | Path], *, base: str = DEFAULT_BASE, progress: bool = False,
                 validate: bool = False, ontology: str | None = None) -> BuildResult:
    """Read, clean, analyse and merge every article under `paths`."""
    from kg.ingest import read_articles

    started = time.perf_counter()
    builder = Builder(base, ontology)
    reports: list[ArticleReport] = []
    items = read_articles(paths)
    if progress:
        from tqdm import tqdm

        items = tqdm(items, desc="articles", unit="art", file=sys.stderr, leave=False)
    for item in items:
        if isinstance(item, InputError):
            log.warning("%s", item)
            reports.append(ArticleReport(Path(item.path).name, item.path, "error", line=item.line,
                                         error=str(item), error_kind=item.kind))
            continue
        try:
            reports.append(builder.add(item))
        except Exception as exc:  # one broken article must not stop the batch
            log.exception("%s: could not be analysed", item.where)
            reports.append(ArticleReport(item.source_file, item.path, "error", line=item.line,
                                         error=f"{item.where}: could not be analysed ({type(exc).__name__}: {exc})",
                                         error_kind=type(exc).__name__))
    graph = builder.finish()
    result = BuildResult(graph, reports)
    if validate and len(graph):
        from kg.rdf.validate import validate as shacl

        result.violations = shacl(graph)
    result.seconds = time.perf_counter() - started
    return result


def write_outputs(result: BuildResult, out_dir: str | Path) -> dict[str, Path]:
    """graph.ttl and report.json in `out_dir`, each written to a temporary file and renamed."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    turtle = result.graph.serialize(format="turtle")
    written["graph"] = atomic_write(out / "graph.ttl", turtle)
    report = {
        "totals": result.totals(),
        "articles": [_clean_report(dataclasses.asdict(a)) for a in result.articles],
        "shacl_violations": [dataclasses.asdict(v) for v in result.violations],
    }
    written["report"] = atomic_write(out / "report.json", json.dumps(report, ensure_ascii=False, indent=1) + "\n")
    return written


def _clean_report(row: dict) -> dict:
    return {k: v for k, v in row.items() if v not in (None, [], {})}


def atomic_write(path: Path, content: str | bytes) -> Path:
    """Write next to `path` under a temporary name, then rename: never a half-written file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    return path


def build_graph(paths: Iterable[str | Path], *, base: str = DEFAULT_BASE) -> Graph:
    """The merged graph of every article under `paths` (notebook entry point)."""
    result = build_corpus(paths, base=base)
    if not result.ok:
        raise NothingBuiltError("no article could be built: " + "; ".join(a.error or "" for a in result.failed[:5]))
    return result.graph


def extract(text: str, date: dt.date | str | None = None, *, title: str | None = None,
            source_file: str = "text.txt", base: str = DEFAULT_BASE) -> Graph:
    """The graph of one article given as a string (`date` as a date or 'YYYY-MM-DD')."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    article = Article(source_file=source_file, path=source_file, text=text, title=title, date=date,
                      digest=digest_of(text))
    builder = Builder(base)
    builder.add(article)
    return builder.finish()
