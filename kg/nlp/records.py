"""Typed facts: what the relation rules produce and the RDF writer reads.

Each fact is a frozen record with entity references (`Ref`), its evidence (the
sentence as offsets in the cleaned text, the rule that produced it, a confidence) and
one `identity(article)`: the values that make two reports the same fact. The writer mints
the fact's IRI from it, so the same visit told by two articles is one node; a fact with
no date of its own is identified within its article only (`article` is the article's
digest).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal
from typing import ClassVar

from kg.nlp.dates import PartialDate
from kg.text import fold


@dataclass(frozen=True, slots=True, order=True)
class Ref:
    """A reference to an entity of the article: its kind and canonical key."""

    kind: str  # person | country | organization | location
    key: str


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a fact was read: the sentence's offsets in the cleaned text, the rule, a confidence."""

    start: int
    end: int
    rule: str
    confidence: float


def _anchor(date: PartialDate | None, article: str) -> str:
    """When a fact took place, as far as it identifies the fact: a year and month, or a year, hold in
    every article; a day without a year, or no date, only within its article."""
    if date is not None and date.year:
        return f"{date.year}-{date.month}" if date.month else str(date.year)
    if date is not None and date.month:
        return f"{article}--{date.month}-{date.day}"
    return article


@dataclass(frozen=True)
class Visit:
    kind: ClassVar[str] = "visit"
    visitor: Ref
    destination: Ref
    evidence: Evidence
    start: PartialDate | None = None
    end: PartialDate | None = None
    date: PartialDate | None = None  # a day the visit is under way
    visit_type: str | None = None
    status: str | None = None
    invited_by: Ref | None = None

    def identity(self, article: str) -> tuple:
        return (self.kind, self.visitor.key, self.destination.kind, self.destination.key,
                _anchor(self.start or self.date, article))


@dataclass(frozen=True)
class Meeting:
    kind: ClassVar[str] = "meeting"
    participants: tuple[Ref, ...]  # sorted, two or more
    meeting_type: str
    evidence: Evidence
    date: PartialDate | None = None
    place: Ref | None = None

    def identity(self, article: str) -> tuple:
        when = self.date.lexical if self.date and self.date.year else article
        return (self.kind, *(p.key for p in self.participants), self.meeting_type, when)


@dataclass(frozen=True)
class Agreement:
    kind: ClassVar[str] = "agreement"
    label: str
    evidence: Evidence
    parties: tuple[Ref, ...] = ()  # sorted
    signed: PartialDate | None = None
    signed_by: tuple[Ref, ...] = ()  # sorted

    def identity(self, article: str) -> tuple:
        return (self.kind, fold(self.label), *(p.key for p in self.parties))


@dataclass(frozen=True)
class EconomicFigure:
    kind: ClassVar[str] = "figure"
    indicator: str  # Trade | Export | Import | TradeTarget | RegisteredInvestment | RealizedInvestment
    value: Decimal  # in `unit`
    evidence: Evidence
    unit: str = "USD"
    max_value: Decimal | None = None
    period: str | None = None  # '2024', '2025-Q1', '2023-01/2023-11'
    change_percent: Decimal | None = None
    change_factor: Decimal | None = None
    projects: int | None = None
    source: Ref | None = None  # one-way figures: from ...
    target: Ref | None = None  # ... to
    between: tuple[Ref, ...] = ()  # two-way figures, sorted

    def identity(self, article: str) -> tuple:
        return (self.kind, self.indicator, str(self.value), self.period,
                self.source.key if self.source else None, self.target.key if self.target else None,
                *(r.key for r in self.between))


@dataclass(frozen=True)
class Position:
    """`person` holds the post `title` (base form) of a country or a body."""

    kind: ClassVar[str] = "position"
    person: Ref
    title: str
    evidence: Evidence
    country: Ref | None = None
    organization: Ref | None = None

    def identity(self, article: str) -> tuple:
        # a post as held by one person: two holders of one office are two nodes, so what an
        # article says of one never reads as said of the other
        of = self.country or self.organization
        return (self.kind, self.person.key, self.title, of.key if of else None)


Fact = Visit | Meeting | Agreement | EconomicFigure


def replace(record, **changes):
    """A copy of `record` with `changes` (records are frozen)."""
    return dataclasses.replace(record, **changes)


def filled(record, other):
    """`record` with every empty field taken from `other` (the same fact told twice)."""
    changes = {}
    for f in dataclasses.fields(record):
        mine, theirs = getattr(record, f.name), getattr(other, f.name)
        if mine in (None, ()) and theirs not in (None, ()):
            changes[f.name] = theirs
    return dataclasses.replace(record, **changes) if changes else record
