"""The per-article step: one Article in, its report and its triples (canonical N-Triples lines) out.

clean -> the spaCy pipeline (kg.nlp.pipeline: `make_nlp`, `analyse`) -> RDF (kg.rdf.build).
Engines (kg.scale.local, kg.scale.parallel, kg.scale.spark) take a `StepFactory` and
call the step on each article; this module knows nothing of them. One article can never
stop a batch: whatever goes wrong with it (its size, the time it takes, an exception in
a rule) becomes its error report. The time limit is a timer signal, so it also stops a
regular expression stuck on hostile text; it applies in a process's main thread, which
is where every engine runs the step.
"""
from __future__ import annotations

import contextlib
import functools
import logging
import signal
import threading
from collections import Counter
from dataclasses import dataclass

from kg.article import Article
from kg.clean import clean
from kg.errors import InputError, TooLargeError, TooSlowError
from kg.report import DEFAULT_BASE, ArticleOutput, ArticleReport, analysis_failure

log = logging.getLogger(__name__)

TIME_LIMIT = 60.0
"""Seconds one article may take (cleaning, analysis, triples); a news article takes well under one."""


class Builder:
    """Holds the loaded pipeline; `process` one article at a time, or `add` articles and take `finish()`."""

    def __init__(self, base: str = DEFAULT_BASE, ontology: str | None = None, *, time_limit: float = TIME_LIMIT):
        from rdflib import Graph

        from kg.nlp.pipeline import gazetteers_of, make_nlp
        from kg.rdf.namespaces import bind_prefixes

        self.base = base
        self.time_limit = time_limit
        self.nlp = make_nlp(ontology)
        self.gazetteers = gazetteers_of(self.nlp)
        self.graph = Graph()
        bind_prefixes(self.graph, base)

    def add(self, article: Article) -> ArticleReport:
        """Analyse one article into this builder's graph (raises if the analysis fails; the graph
        then stays as it was)."""
        sink, report = self._analyse_into_sink(article)
        if len(sink):
            self.graph.parse(data="\n".join(sink.lines()) + "\n", format="nt")
        return report

    def _analyse_into_sink(self, article: Article):
        from kg.rdf.build import ArticleGraph
        from kg.rdf.ntriples import TripleSink

        sink = TripleSink()
        return sink, self._analyse(article, ArticleGraph(sink, self.base, gazetteers=self.gazetteers))

    def process(self, article: Article) -> ArticleOutput:
        """One article's report and triples, on their own; never raises (a failure is an error report)."""
        try:
            with time_limit(self.time_limit, article):
                sink, report = self._analyse_into_sink(article)
        except InputError as exc:
            log.debug("%s", exc)
            return ArticleOutput(analysis_failure(article, exc))
        except Exception as exc:  # one broken article must not stop the batch
            log.debug("%s: could not be analysed", article.where, exc_info=True)
            return ArticleOutput(analysis_failure(article, exc))
        return ArticleOutput(report, sink.lines() if report.status == "ok" else ())

    def _analyse(self, article: Article, writer) -> ArticleReport:
        from kg.nlp.doc import post_mentions
        from kg.nlp.pipeline import analyse
        from kg.rdf.build import headline

        article = clean(article)
        report = ArticleReport(article.source_file, article.path, "ok", line=article.line,
                               title=headline(article), date=article.date.isoformat() if article.date else None,
                               warnings=list(article.warnings),
                               dropped=[{"reason": d.reason, "text": d.text} for d in article.dropped])
        if not article.text.strip():
            report.status, report.error, report.error_kind = "error", \
                f"{article.where}: no text left after cleaning", "EmptyInputError"
            return report
        limit = getattr(self.nlp, "max_length", None)
        if limit and len(article.text) > limit:
            raise TooLargeError(article.path, f"its cleaned text is {len(article.text):,} characters, over the "
                                f"{limit:,} one article may have", line=article.line,
                                hint="split it into articles; a text this long is not one news article")
        doc = analyse(self.nlp, article)
        report.iri = str(writer.add(article, doc))
        report.entities = dict(sorted(Counter(kind for kind, _ in doc._.entities).items()))
        facts = Counter(f.kind for f in doc._.relations or [])
        positions = len(post_mentions(doc))
        if positions:
            facts["position"] = positions
        report.facts = dict(sorted(facts.items()))
        return report

    def finish(self):
        """The graph of every article `add`ed, one value kept per one-valued property."""
        from kg.rdf.merge import resolve_conflicts

        resolve_conflicts(self.graph)
        return self.graph


@dataclass(frozen=True)
class StepFactory:
    """Makes the per-article step where it runs (this process, a worker process, a Spark executor)."""

    base: str = DEFAULT_BASE
    ontology: str | None = None
    time_limit: float = TIME_LIMIT

    def __call__(self) -> Builder:
        return _step(self.base, self.ontology, self.time_limit)


@functools.lru_cache(maxsize=4)
def _step(base: str, ontology: str | None, time_limit: float) -> Builder:
    """One step per process and settings: the builds a process runs one after the other (a
    notebook's, a server's) load the pipeline once. `process` keeps nothing of an article."""
    return Builder(base, ontology, time_limit=time_limit)


def same_text_output(article: Article, first: str, base: str = DEFAULT_BASE) -> ArticleOutput:
    """An input whose text was read before from `first`: no second analysis, its file name added to that article."""
    from rdflib import Literal

    from kg.rdf.iri import mint
    from kg.rdf.namespaces import VNKG
    from kg.rdf.ntriples import line

    iri = mint("article", article.digest, base)
    report = ArticleReport(article.source_file, article.path, "ok", line=article.line, title=article.title,
                           date=article.date.isoformat() if article.date else None, iri=str(iri),
                           warnings=[f"the same text as {first}: one article, both file names recorded"],
                           same_text_as=first)
    return ArticleOutput(report, (line(iri, VNKG.sourceFile, Literal(article.source_file)),))


class _TimeUp(BaseException):
    """Raised by the timer inside the step; a BaseException so that no rule's `except Exception` swallows it."""


@contextlib.contextmanager
def time_limit(seconds: float, article: Article):
    """Stop the step after `seconds` with a TooSlowError naming the article (main thread only; 0: no limit)."""
    if not seconds or seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum, frame):
        raise _TimeUp()

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
    except _TimeUp:  # also when the timer fired just as the step ended: the timer is one-shot
        raise TooSlowError(article.path, f"analysis stopped after {seconds:g} s, the time one article may take",
                           line=article.line,
                           hint="the text is probably not a news article (e.g. one huge line or word); "
                                "raise the limit with --time-limit to build it anyway") from None
    finally:
        signal.signal(signal.SIGALRM, previous)
