"""What a build gives back: one report per article and the build's result (merged graph, totals, checks).

Nothing here analyses or merges: the per-article step (kg.step) fills ArticleReports,
an engine (kg.scale) collects them with the merged triples into a BuildResult, and
kg.outputs writes report.json from it. The counts of the merged graph (distinct people,
countries, visits... after merging) are the build's figures; the per-article counts
added up are kept too, under a name that says so.
"""
from __future__ import annotations

import dataclasses
import json
import shutil
import weakref
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kg.rdf.prefixes import DATA_BASE

from kg.errors import InputError

if TYPE_CHECKING:
    from rdflib import Graph

    from kg.article import Article

DEFAULT_BASE = DATA_BASE

_VNKG = "https://w3id.org/vnkg/ontology#"
NODE_KINDS: dict[str, str] = {
    f"<{_VNKG}Person>": "person",
    f"<{_VNKG}Country>": "country",
    f"<{_VNKG}Organization>": "organization",
    f"<{_VNKG}Location>": "location",
    f"<{_VNKG}Position>": "position",
    f"<{_VNKG}Visit>": "visit",
    f"<{_VNKG}Meeting>": "meeting",
    f"<{_VNKG}Agreement>": "agreement",
    f"<{_VNKG}EconomicFigure>": "figure",
    "<https://schema.org/NewsArticle>": "article",
}
"""The N-Triples form of each class the build counts, and the name it is counted under."""
ENTITY_KINDS = ("person", "country", "organization", "location")
FACT_KINDS = ("position", "visit", "meeting", "agreement", "figure")
_RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass
class ArticleReport:
    """One input's outcome: an article built (status ok) or a file or record that could not be (status error)."""

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
    same_text_as: str | None = None  # the input read earlier with the very same text (one article node for both)
    error: str | None = None
    error_kind: str | None = None

    @classmethod
    def from_dict(cls, row: dict) -> ArticleReport:
        return cls(**row)

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line is not None else self.path


@dataclass
class ArticleOutput:
    """What one article gives: its report and its triples as sorted N-Triples lines."""

    report: ArticleReport
    lines: tuple[str, ...] = ()


def as_row(report: ArticleReport) -> dict:
    """A report as a dict of its fields, for JSON (its values are plain JSON values: no deep copy needed)."""
    return dict(report.__dict__)


def analysis_failure(article: Article, exc: BaseException) -> ArticleReport:
    """The report of an article whose analysis raised."""
    if isinstance(exc, InputError):
        return ArticleReport(article.source_file, article.path, "error", line=article.line, error=str(exc),
                             error_kind=exc.kind)
    return ArticleReport(article.source_file, article.path, "error", line=article.line,
                         error=f"{article.where}: could not be analysed ({type(exc).__name__}: {exc})",
                         error_kind=type(exc).__name__)


def input_failure(error: InputError) -> ArticleReport:
    """The report of a file or record that could not be read."""
    return ArticleReport(Path(error.path).name, error.path, "error", line=error.line, error=str(error),
                         error_kind=error.kind)


class GraphCounter:
    """Distinct nodes of each kind in merged, sorted, duplicate-free N-Triples lines: feed it every line."""

    def __init__(self):
        self.counts: Counter = Counter()

    def add(self, line: str) -> None:
        if _RDF_TYPE in line:
            parts = line.split(" ", 2)
            if parts[1] == _RDF_TYPE:
                kind = NODE_KINDS.get(parts[2][:-2])
                if kind:
                    self.counts[kind] += 1

    def as_dict(self) -> dict:
        return {kind: self.counts.get(kind, 0) for kind in ("article", *ENTITY_KINDS, *FACT_KINDS)}


class BuildResult:
    """The merged graph of a build, the per-article reports, SHACL violations and notes.

    `graph` is an rdflib Graph; for a streamed build it is parsed from the merged
    N-Triples on first use, so a large build that only writes its outputs never holds it.
    `graph_counts` are the distinct nodes of each kind in the merged graph.
    """

    def __init__(self, graph: Graph | None = None, articles: Sequence[ArticleReport] = (), seconds: float = 0.0,
                 violations: list | None = None, *, merged: Path | None = None, triples: int | None = None,
                 base: str = DEFAULT_BASE, reused: int = 0, notes: list[str] | None = None,
                 validated: bool | None = None, work_dir: Path | None = None, graph_counts: dict | None = None,
                 unchanged: bool = False):
        self._graph = graph
        self.articles = articles if isinstance(articles, Sequence) else list(articles)
        self.seconds = seconds
        self.violations = violations if violations is not None else []
        self.merged = merged
        self._triples = triples
        self.base = base
        self.reused = reused
        self.notes = notes if notes is not None else []
        self.validated = validated
        self._graph_counts = graph_counts
        self.unchanged = unchanged  # the same inputs and pipeline as the last build into the same folder
        self.merged_digest: str | None = None  # sha256 of the merged N-Triples, when the engine computed it
        self.last_build = None  # kg.scale.state.LastBuild the engine started from, if any
        self.state_keys: set[str] | None = None  # the articles whose triples the merged graph holds (with a cache)
        self.pipeline: str | None = None  # the pipeline version (with a cache)
        self._cleanup = weakref.finalize(self, _remove_dir, work_dir) if work_dir else None
        self._sums = None  # (the reports read, how many, their sums): see _article_sums

    @property
    def graph(self) -> Graph:
        if self._graph is None:
            from rdflib import Graph

            from kg.rdf.namespaces import bind_prefixes

            graph = Graph()
            bind_prefixes(graph, self.base)
            if self.merged is not None:
                if not self.merged.exists():
                    raise ValueError("this build's work files were removed by close(): take .graph before")
                graph.parse(self.merged, format="nt")
            self._graph = graph
        return self._graph

    @property
    def triples(self) -> int:
        if self._triples is None:
            self._triples = len(self.graph)
        return self._triples

    @property
    def graph_counts(self) -> dict:
        if self._graph_counts is None:
            counter = GraphCounter()
            for text in self.lines():
                counter.add(text)
            self._graph_counts = counter.as_dict()
        return self._graph_counts

    def lines(self) -> Iterator[str]:
        """The merged graph as sorted N-Triples lines."""
        if self.merged is not None:
            return _file_lines(self.merged)
        from kg.rdf.ntriples import line

        return iter(sorted({line(*triple) for triple in self.graph}))

    @property
    def ok(self) -> list[ArticleReport]:
        return [a for a in self.articles if a.status == "ok"]

    @property
    def failed(self) -> list[ArticleReport]:
        return [a for a in self.articles if a.status != "ok"]

    def counts(self) -> tuple[int, int]:
        """(articles built, articles failed), without loading the reports when the log kept count."""
        if hasattr(self.articles, "ok") and isinstance(self.articles.ok, int):
            return self.articles.ok, self.articles.failed
        ok = sum(1 for a in self.articles if a.status == "ok")
        return ok, len(self.articles) - ok

    def totals(self) -> dict:
        """The build's figures: the merged graph's distinct nodes, and the per-article counts added up (labelled)."""
        ok, failed, same, entities, facts = self._article_sums()
        counts = self.graph_counts
        return {"articles": ok, "failed": failed, "same_text": same, "reused": self.reused, "triples": self.triples,
                "graph": {"entities": {k: counts[k] for k in ENTITY_KINDS},
                          "facts": {k: counts[k] for k in FACT_KINDS},
                          "articles": counts["article"]},
                "per_article_sums": {"entities": dict(sorted(entities.items())),
                                     "facts": dict(sorted(facts.items()))},
                "shacl_violations": len(self.violations), "seconds": round(self.seconds, 2)}

    def _article_sums(self) -> tuple[int, int, int, Counter, Counter]:
        """(ok, failed, same text, entities, facts) over the reports: read once for the summary and report.json
        alike (a build's reports are read back from disk), again when reports are added or replaced."""
        if self._sums is None or self._sums[0] is not self.articles or self._sums[1] != len(self.articles):
            entities, facts = Counter(), Counter()
            ok = failed = same = 0
            for a in self.articles:
                if a.status != "ok":
                    failed += 1
                    continue
                ok += 1
                same += a.same_text_as is not None
                entities.update(a.entities)
                facts.update(a.facts)
            self._sums = (self.articles, len(self.articles), (ok, failed, same, entities, facts))
        return self._sums[2]

    def detach(self) -> BuildResult:
        """Load the graph and the reports into memory and remove the work files: a result to keep."""
        self.graph  # noqa: B018 - parsed now, before the files go
        self.graph_counts  # noqa: B018
        self.articles = list(self.articles)
        self.close()
        self.merged = None
        return self

    def close(self) -> None:
        """Remove the work files now rather than when the result is garbage-collected."""
        if self._cleanup is not None:
            self._cleanup()


def _remove_dir(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _file_lines(path: Path) -> Iterator[str]:
    with open(path, encoding="utf-8", newline="\n") as handle:
        for text in handle:
            yield text[:-1]


def write_report(result: BuildResult, handle) -> None:
    """report.json into a binary handle, one article at a time: indented JSON whose every article is one line,
    so a build of 50,000 articles stays a file to grep and a rebuild's diff shows the articles that changed."""
    def put(text: str) -> None:
        handle.write(text.encode("utf-8"))

    def dumped(value, depth: int) -> str:
        return json.dumps(value, ensure_ascii=False, indent=1).replace("\n", "\n" + " " * depth)

    # no timings in the file: the same input gives the same report, so its diffs mean something
    totals = {k: v for k, v in result.totals().items() if k != "seconds"}
    put('{\n "totals": ' + dumped(totals, 1) + ',\n "articles": [')
    first = True
    for article in result.articles:
        put(("\n  " if first else ",\n  ") + json.dumps(_without_empty(as_row(article)), ensure_ascii=False))
        first = False
    put("]" if first else "\n ]")
    if result.notes:
        put(',\n "notes": ' + dumped(result.notes, 1))
    if result.validated is not None:
        put(',\n "shacl_validated": ' + json.dumps(result.validated))
    put(',\n "shacl_violations": ' + dumped([_as_dict(v) for v in result.violations], 1) + "\n}\n")


def _as_dict(value) -> dict:
    return dataclasses.asdict(value) if dataclasses.is_dataclass(value) else dict(value)


def _without_empty(row: dict) -> dict:
    return {k: v for k, v in row.items() if v not in (None, [], {})}
