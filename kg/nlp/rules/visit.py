"""Visits: who travels to which country, when, of what kind, at whose invitation.

A visit is a trigger phrase ("thăm", "chuyến thăm", "công du") with its visitor — the
person before the verb, or after "của" for the noun ("chuyến thăm Việt Nam của Tổng thống
X"), or the subject of the clause that a visit frames ("Trong khuôn khổ chuyến thăm ..., X
hội đàm ...") — and a destination country after it. Each destination of a list ("tới Ấn
Độ từ ... và tới Sri Lanka từ ...") is a visit of its own, with its own dates. Hoped-for,
invited-only and recalled visits are not visits.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.compiled import regex
from kg.nlp.entities import Mention
from kg.nlp.lexicon import Lexicon
from kg.nlp.records import Evidence, Ref, Visit
from kg.nlp.rules.view import ArticleView, Sentence

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class VisitWords:
    trigger: re.Pattern
    noun: frozenset[str]
    blockers: tuple[str, ...]
    types: tuple[tuple[re.Pattern, str], ...]
    statuses: tuple[tuple[re.Pattern, str], ...]
    invited_by: re.Pattern
    hoped_before: re.Pattern
    hoped_after: re.Pattern
    recalled_before: re.Pattern
    destination_stop: re.Pattern
    occasion_before: re.Pattern
    frame: re.Pattern
    of_visitor: re.Pattern
    verb: re.Pattern
    other_verb: re.Pattern
    leads: re.Pattern
    next_destination: re.Pattern
    resident: frozenset[str]
    spouse: re.Pattern
    this_one: re.Pattern
    list_intro: re.Pattern

    @classmethod
    def load(cls, lex: Lexicon) -> "VisitWords":
        def valued(kind: str) -> tuple[tuple[re.Pattern, str], ...]:
            return tuple((regex(lex.expand(rf"<<WB>>{re.escape(p)}<<WE>>")), v) for p, v in lex.valued(kind))

        return cls(
            trigger=regex(lex.expand("<<WB>>(?i:<<visit.noun>>|<<visit.verb>>)<<WE>>")),
            noun=frozenset(p.lower() for p in lex.phrases("visit.noun")),
            blockers=lex.phrases("visit.blocker"),
            types=valued("visit_type"),
            statuses=valued("visit_status"),
            invited_by=lex.pattern("visit.invited_by"),
            hoped_before=lex.pattern("visit.hoped_before"),
            hoped_after=lex.pattern("visit.hoped_after"),
            recalled_before=lex.pattern("visit.recalled_before"),
            destination_stop=lex.pattern("visit.destination_stop"),
            occasion_before=lex.pattern("visit.occasion_before"),
            frame=lex.pattern("visit.frame"),
            of_visitor=lex.pattern("visit.of_visitor"),
            verb=lex.pattern("visit.verb_word"),
            other_verb=lex.pattern("visit.other_verb"),
            leads=lex.pattern("visit.leads"),
            next_destination=lex.pattern("visit.next_destination"),
            resident=frozenset(lex.phrases("visit.resident_titles")),
            spouse=lex.pattern("visit.spouse_between"),
            this_one=lex.pattern("visit.this_one"),
            list_intro=lex.pattern("visit.list_intro"),
        )


@dataclass(frozen=True)
class Seen:
    """The last visit a sentence spoke of, told or only recalled: what 'chuyến thăm lần này' refers to."""

    visitor: Mention
    destination: str
    sentence: int


def visits(view: ArticleView, words: VisitWords) -> Iterator[Visit]:
    """Every visit the article states, sentence by sentence; the last one spoken of carries to the next."""
    seen: Seen | None = None
    for sentence in view.sentences:
        found, seen = _sentence_visits(view, words, sentence, seen)
        yield from found


def _sentence_visits(view: ArticleView, w: VisitWords, sentence: Sentence,
                     seen: Seen | None) -> tuple[list[Visit], Seen | None]:
    text = sentence.text
    triggers = list(w.trigger.finditer(text))
    found: list[Visit] = []
    if not triggers:
        return found, seen
    invitations = []  # (start, end of the inviter's name, inviter) of each 'theo lời mời của X'
    for invite in w.invited_by.finditer(text):
        after = [m for m in sentence.persons() if sentence.rel(m.start) >= invite.end()]
        if after and sentence.rel(after[0].start) - invite.end() <= 150:
            invitations.append((invite.start(), sentence.rel(after[0].end), after[0]))
    dates = view.dates(sentence)
    for trig in triggers:
        t0, t1 = trig.start(), trig.end()
        inviter, invite_span = _invitation(sentence, invitations, t0)
        word = trig.group(0).lower()
        before_text = text[max(0, t0 - 40):t0]
        if any(before_text.endswith(b + " ") or before_text.endswith(b) for b in w.blockers) or \
                any(text[t0:].lower().startswith(b.lower()) for b in w.blockers if b.lower().startswith(word)):
            log.debug("visit dropped: blocked trigger in %r", text[:80])
            continue
        visitor = _visitor(view, w, sentence, t0, t1, word, invite_span)
        this_visit = word in w.noun and w.this_one.match(text, t1)
        the_visit = word in w.noun and t0 == 0 and not _destinations(view, w, sentence, t1, invite_span, None)
        if visitor is None and (this_visit or the_visit) and seen is not None and sentence.index - seen.sentence <= 2:
            # 'X từng 4 lần thăm Việt Nam. Chuyến thăm lần này ...', 'X bắt đầu chuyến thăm Thái Lan.
            # Chuyến thăm diễn ra từ ngày 17-19/8, theo lời mời của Y': the visit just spoken of
            found.append(_visit(view, w, sentence, seen.visitor, inviter, seen.destination, t0, t1, t1, dates,
                                status="Ongoing" if this_visit else None))
            continue
        if visitor is None:
            log.debug("visit dropped: no visitor in %r", text[:80])
            continue
        if _resident(view, w, visitor):
            log.debug("visit dropped: %s is posted there", visitor.text)
            continue
        home = view.nationality(visitor.key)
        destinations = _destinations(view, w, sentence, t1, invite_span, home) or \
            _listed_destination(view, w, sentence, t0, home)
        lead_in = text[max(0, sentence.rel(visitor.start) - 30):t0]
        if w.hoped_before.search(lead_in) and not w.invited_by.search(lead_in):
            log.debug("visit dropped: only hoped for or invited (%r)", lead_in)
            continue
        if w.hoped_after.search(text, t1) or w.recalled_before.search(text[:t0]):
            log.debug("visit dropped: hoped for or recalled (%r)", text[:80])
            if destinations:
                seen = Seen(visitor, destinations[0][0], sentence.index)
            continue
        for dest, d0 in destinations:
            found.append(_visit(view, w, sentence, visitor, inviter, dest, t0, t1, d0, dates))
            seen = Seen(visitor, dest, sentence.index)
    return found, seen


def _listed_destination(view: ArticleView, w: VisitWords, sentence: Sentence, t0: int,
                        home: str | None) -> list[tuple[str, int]]:
    """'các chuyến thăm Campuchia như: X thăm hữu nghị (...)': the country the list opens with."""
    for m in w.list_intro.finditer(sentence.text, 0, t0):
        for c in sentence.of_kind("country"):
            if m.start() <= sentence.rel(c.start) < m.end() and c.key != home:
                return [(c.key, t0)]
    return []


def _destinations(view: ArticleView, w: VisitWords, sentence: Sentence, t1: int, invite_span,
                  home: str | None) -> list[tuple[str, int]]:
    """(country key, offset in the sentence) of each destination after the trigger."""
    out: list[tuple[str, int]] = []
    text = sentence.text
    limit = t1 + 90
    # a place after another person's visit verb is that visit's: '..., Y thăm làm việc tại Lào'
    others = [p for p in sentence.persons() if sentence.rel(p.start) > t1]
    later = next((t.start() for t in w.trigger.finditer(text, t1) if others and
                  any(sentence.rel(p.end) <= t.start() for p in others)), len(text))
    for m in sentence.of_kind("country", "location"):
        rel = sentence.rel(m.start)
        if rel < t1:
            continue
        if rel > limit or rel > later:
            break
        if invite_span[0] <= rel < invite_span[1]:
            continue
        key = view.country_of(m)
        if key is None or key == home or any(k == key for k, _ in out):
            continue
        gap = text[out[-1][1] if out else t1:rel]
        if out and not w.next_destination.search(gap):
            break  # another country named later is not a destination of this visit
        if not out and w.destination_stop.search(gap):
            break
        out.append((key, rel))
        limit = rel + 90
    return out


def _visit(view: ArticleView, w: VisitWords, sentence: Sentence, visitor: Mention, inviter: Mention | None,
           dest: str, t0: int, t1: int, d0: int, dates, status: str | None = None) -> Visit:
    text = sentence.text
    window = text[max(0, t0 - 25):min(len(text), t1 + 45)]
    visit_type = next((v for p, v in w.types if p.search(window)), None)
    # tense words before the verb, the nearest first ('đã đón tiếp ông X đến thăm ...')
    near = text[max(0, t0 - 40):t0]
    found_status = [(m.start(), value) for phrase, value in w.statuses for m in phrase.finditer(near)]
    if status is None and found_status:
        status = max(found_status)[1]
    # the visit as the occasion of what the sentence reports: under way, unless its dates say otherwise
    occasion = w.frame.search(text[:t0]) or (visitor.start >= sentence.start and
                                             w.occasion_before.search(text[:sentence.rel(visitor.start)]))
    start = end = during = None
    # the visit's own dates follow its destination closely, in the same clause: days, or a month
    # or a year for a visit told long after ('thăm làm việc Campuchia (8/2012)', '... năm 2017')
    chosen = [d for d in dates if d0 <= d.start <= d0 + _DATE_REACH
              and not w.destination_stop.search(text, d0, d.start) and _plausible_span(d)][:1]
    # dates the sentence opens with, before its visitor and the verb ('Năm 2006, X thăm ...'); not
    # the dates of other visits before 'chuyến thăm ... của X'
    opening = [d for d in dates if sentence.start <= visitor.start < sentence.start + t0
               and d.end <= sentence.rel(visitor.start)]
    if chosen:
        start = view.dated(chosen[0].first)
        if chosen[0].last is not None:
            end = view.dated(chosen[0].last)
    elif opening and opening[-1].first.day is None:
        start = opening[-1].first  # 'Năm 2006, X thăm ...': the year the sentence opens with
    elif opening:
        during = view.dated(opening[-1].first)  # a day the visit is under way
    elif visitor.start > sentence.start + t1 and any(d.first.day for d in dates):
        # 'Trong chuyến thăm ..., X đã ... vào tối 9-11': the sentence's day is a day of the visit
        during = view.dated(next(d.first for d in dates if d.first.day))
    status = _status(view, start, end, during, status, "Ongoing" if occasion else None)
    return Visit(
        visitor=Ref("person", visitor.key),
        destination=Ref("country", dest),
        evidence=Evidence(sentence.start, sentence.end, "visit.trigger", 0.85 if visit_type else 0.75),
        start=start, end=end, date=during, visit_type=visit_type, status=status,
        invited_by=Ref("person", inviter.key) if inviter is not None and inviter.key != visitor.key else None,
    )


_DATE_REACH = 60  # characters from a destination to its dates: 'Nhật Bản từ 27-30/11', 'tới Ấn Độ từ ngày 11 đến 13-10'


def _plausible_span(d) -> bool:
    """A visit lasts days or weeks, not years: '(21/9/1973 - 21/9/2023)' is an anniversary."""
    if d.last is None:
        return True
    first, last = d.first, d.last
    if first.year and last.year and last.year - first.year > 1:
        return False
    return (last.month or 0) - (first.month or 0) in (0, 1, -11)


def _invitation(sentence: Sentence, invitations, t0: int):
    """The invitation of the visit at `t0`: in its own clause, after it or opening it."""
    lo, hi = (sentence.rel(x) for x in sentence.clause_bounds(sentence.start + t0))
    mine = [i for i in invitations if lo <= i[0] < hi]
    if not mine:
        return None, (-1, -1)
    after = [i for i in mine if i[0] > t0]
    chosen = after[0] if after else mine[-1]
    return chosen[2], (chosen[0], chosen[1])


def _resident(view: ArticleView, w: VisitWords, visitor: Mention) -> bool:
    """An ambassador or consul posted in the country does not visit it."""
    titles = {p.title for p in view.positions if p.person == visitor.key}
    return bool(titles) and titles <= w.resident


def _visitor(view: ArticleView, w: VisitWords, sentence: Sentence, t0: int, t1: int, word: str,
             invite_span) -> Mention | None:
    text = sentence.text
    persons = sentence.persons()
    if word in w.noun:
        # 'chuyến thăm của X', 'chuyến thăm chính thức Việt Nam của Tổng thống X'
        m = w.of_visitor.match(text, t1)
        if m and w.verb.search(m.group(0)):
            return None  # '60 năm sau chuyến thăm Ấn Độ của X': the 'của' belongs to another visit
        if m:
            after = [p for p in persons if 0 <= sentence.rel(p.start) - m.end() <= 40]
            return after[0] if after else None
        # 'Trong khuôn khổ chuyến thăm ..., X hội đàm': the subject of the clause it frames; at the
        # end of the sentence ('X gặp Y trong khuôn khổ chuyến thăm Z năm 2017'), the sentence's subject
        if w.frame.search(text[:t0]):
            comma = text.find(", ", t1)
            after = [p for p in persons if comma >= 0 and 0 <= sentence.rel(p.start) - comma <= 60]
            if after:
                return after[0]
            first = [p for p in persons if sentence.rel(p.end) <= t0]
            if comma < 0 and first and not w.destination_stop.search(text, sentence.rel(first[0].end), t0):
                return first[0]
    before = [p for p in persons if sentence.rel(p.end) <= t0 and
              not (invite_span[0] <= sentence.rel(p.start) < invite_span[1])]
    if not before:
        return None
    candidate = before[-1]
    if len(before) >= 2 and w.spouse.search(text, 0, sentence.rel(candidate.start)):
        # 'Tổng thống X và Phu nhân Y thăm ...': the spouse goes along; X is the visitor
        spouse_gap = text[sentence.rel(before[-2].end):sentence.rel(candidate.start)]
        if w.spouse.fullmatch(spouse_gap):
            candidate = before[-2]
    gap = sentence.gap_after(candidate, sentence.start + t0)
    if w.verb.search(gap):
        return None  # 'nơi X từng đến thăm, và thăm Y': X is the subject of the earlier visit only
    if len(gap) > 120 or re.search(r"[.;]", gap):
        return None
    if w.other_verb.search(gap) and not w.leads.search(gap):
        return None  # another verb between the person and the visit usually means another subject
    return candidate


def _status(view: ArticleView, start, end, during, told: str | None, occasion: str | None) -> str | None:
    """The visit's dates against the article's date; else what the sentence's tense says (`told`);
    else, for an undated article, dates before the latest date it states are past; else, a visit
    that is the occasion of what the sentence reports is under way."""
    first = start or during
    last = end or start or during
    if view.date is not None:
        first_day = first.as_date() if first else None
        last_day = last.as_date() if last else None
        if first_day and first_day > view.date:
            return "Planned"
        if last_day and last_day < view.date:
            return "Completed"
        if first_day and last_day:
            return "Ongoing"
        if last is not None and last.day is None and last.year and last.year < view.date.year:
            return "Completed"  # a visit of a past year ('năm 2006')
        return told or occasion
    if told is not None:
        return told
    bound = view.latest_stated
    if last is not None and last.year and bound is not None and \
            (last.year, last.month or 12, last.day or 31) < bound.key():
        return "Completed"
    if last is not None and last.year and not last.month and view.latest_year and last.year < view.latest_year:
        return "Completed"  # '... năm 2017' in an article that speaks of 2020
    return occasion
