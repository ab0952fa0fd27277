"""The relation rules, one module per kind of fact, and how one article's facts are put together.

Each rule is a pure function of an `ArticleView` (what the Doc says) and its words
(compiled once from ontology/rules): `visits`, `meetings` (which also reads the
article's visits, for its guest and days), `agreements`, `figures`. `RuleSet.facts(doc)`
runs them in that order and fuses what one article says twice (a headline, then the
body) into one fact.
"""
from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc

from kg.nlp.dates import DateReader
from kg.nlp.lexicon import Lexicon
from kg.nlp.records import Agreement, Fact, Meeting, Visit, filled
from kg.nlp.rules.agreement import AgreementWords, agreements
from kg.nlp.rules.figure import FigureWords, figures
from kg.nlp.rules.meeting import MeetingWords, meetings
from kg.nlp.rules.view import ArticleView, ArticleWords
from kg.nlp.rules.visit import VisitWords, visits
from kg.text import fold


@dataclass(frozen=True)
class RuleSet:
    """Every rule's words, compiled once; `facts(doc)` runs the rules on one analysed Doc."""

    visit: VisitWords
    meeting: MeetingWords
    agreement: AgreementWords
    figure: FigureWords
    article: ArticleWords
    reader: DateReader
    home: str

    @classmethod
    def load(cls, lex: Lexicon, home: str) -> "RuleSet":
        return cls(VisitWords.load(lex), MeetingWords.load(lex), AgreementWords.load(lex), FigureWords.load(lex),
                   ArticleWords.load(lex), DateReader(lex), home)

    def view(self, doc: Doc) -> ArticleView:
        return ArticleView.of(doc, self.reader, self.article, self.home)

    def facts(self, doc: Doc) -> list[Fact]:
        view = self.view(doc)
        found_visits = fuse(visits(view, self.visit))
        found: list[Fact] = list(found_visits)
        found += meetings(view, self.meeting, found_visits)
        found += agreements(view, self.agreement)
        found += figures(view, self.figure)
        return fuse(found)


def fuse(facts: Iterable[Fact]) -> list[Fact]:
    """The same fact said twice in one article becomes one, its fields united.

    Facts about the same people (or document, or amount) are one fact unless their dates
    disagree: two meetings of the same people on different days stay two, and an undated
    report joins the dated one when there is exactly one."""
    groups: dict[tuple, list[Fact]] = defaultdict(list)
    for fact in facts:
        groups[_core(fact)].append(fact)
    out: list[Fact] = []
    for group in groups.values():
        clusters: dict[object, list[Fact]] = {}
        undated: list[Fact] = []
        for fact in group:
            when = _when(fact)
            if when is None:
                undated.append(fact)
            else:
                clusters.setdefault(when, []).append(fact)
        _join_yearless(clusters)
        _join_within_span(clusters)
        # an undated report is the one dated report of it, unless that one is of a past year only
        # ('Năm 2006, X thăm ...'): then it is most likely another, the one the article is about
        if len(clusters) == 1 and undated and next(iter(clusters))[1] is not None:
            next(iter(clusters.values())).extend(undated)
        elif undated:
            clusters[None] = undated
        for members in clusters.values():
            out.append(_unite(members))
    return _merge_shortened_agreements(out)


def _core(fact: Fact) -> tuple:
    if isinstance(fact, Visit):
        return ("visit", fact.visitor, fact.destination)
    if isinstance(fact, Meeting):
        return ("meeting", fact.participants, fact.meeting_type)
    if isinstance(fact, Agreement):
        return ("agreement", fold(fact.label))
    return fact.identity("")


def _when(fact: Fact):
    if isinstance(fact, Visit):
        first = fact.start or fact.date
        return (first.year, first.month) if first and (first.year or first.month) else None
    if isinstance(fact, Meeting):
        return fact.date.key() if fact.date is not None else None
    return None


def _join_yearless(clusters: dict) -> None:
    """A report with no year joins the one report of the same month and day that has one."""
    for when in [w for w in clusters if w[0] is None]:
        matches = [w for w in clusters if w[0] is not None and w[1:] == when[1:] and when[1] is not None]
        if len(matches) == 1:
            clusters[matches[0]].extend(clusters.pop(when))


def _join_within_span(clusters: dict) -> None:
    """A visit told on a day that falls within the dates another report gives it is that visit:
    '(ngày 1/7) đang có chuyến thăm' and 'chuyến thăm từ ngày 30/6 đến ngày 3/7'."""
    spans = {}
    for when, members in clusters.items():
        for fact in members:
            if isinstance(fact, Visit) and fact.start and fact.end and fact.start.month and fact.end.month:
                spans[when] = (fact.start, fact.end)
    for when, (start, end) in spans.items():
        for other in [w for w in clusters if w != when and w in clusters]:
            days = [f.start or f.date for f in clusters[other] if isinstance(f, Visit)]
            if days and all(d is not None and d.month and d.day and _between(d, start, end) for d in days) \
                    and when in clusters:
                clusters[when].extend(clusters.pop(other))


def _between(day, start, end) -> bool:
    if any(x.year for x in (day, start, end)) and day.year and start.year and day.year != start.year \
            and day.year != end.year:
        return False
    key = (day.month, day.day)
    first, last = (start.month, start.day or 1), (end.month, end.day or 31)
    return first <= key <= last if first <= last else (key >= first or key <= last)


def _unite(members: list[Fact]) -> Fact:
    """One fact from several reports of it: the most complete report, filled in from the others."""
    def richness(f: Fact) -> int:
        return sum(getattr(f, field.name) not in (None, ()) for field in dataclasses.fields(f))

    ordered = sorted(members, key=lambda f: -richness(f))
    base = ordered[0]
    for other in ordered[1:]:
        base = filled(base, other)
    confidence = max(f.evidence.confidence for f in members)
    if confidence != base.evidence.confidence:
        base = dataclasses.replace(base, evidence=dataclasses.replace(base.evidence, confidence=confidence))
    return base


def _merge_shortened_agreements(facts: list[Fact]) -> list[Fact]:
    """'Tuyên bố Hà Nội về quan hệ Đối tác chiến lược' in the lede is the one named in full later."""
    agreements_ = sorted((f for f in facts if isinstance(f, Agreement)), key=lambda f: -len(f.label))
    replaced: dict[int, Agreement] = {}
    dropped: set[int] = set()
    for i, short in enumerate(agreements_):
        words = fold(short.label)
        if len(words.split()) < 4:
            continue
        for long in agreements_[:i]:
            if id(long) not in dropped and fold(long.label).startswith(words + " "):
                current = replaced.get(id(long), long)
                replaced[id(long)] = filled(current, short)
                dropped.add(id(short))
                break
    return [replaced.get(id(f), f) for f in facts if id(f) not in dropped]

