"""Meetings: talks, receptions, courtesy calls, encounters and phone calls between people.

A meeting is a verb ("hội đàm", "tiếp", "hội kiến", "gặp", "điện đàm") with its subject and
its counterparts. The press coordinates freely, and so does this rule:

- a list of counterparts after one verb ("hội kiến A, B và C") is one meeting with each;
- a chain of verbs shares the subject ("hội đàm với A; hội kiến B, gặp C, tiếp D và E");
- two subjects before a verb with no counterpart ("A và B hội đàm") meet each other;
- "hai Thủ tướng hội đàm" is the two holders of that title;
- a subject alone ("Ngay sau lễ đón, Chủ tịch nước X sẽ tiến hành hội đàm") meets the
  article's guest: the visitor of the visit the article reports to X's country.

Its date is a day of its own sentence, else the days of the visit that frames it
("Trong khuôn khổ chuyến thăm ..."), else the last day named just before.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from kg.compiled import regex
from kg.nlp.dates import PartialDate
from kg.nlp.entities import Mention
from kg.nlp.lexicon import Lexicon
from kg.nlp.records import Evidence, Meeting, Ref, Visit
from kg.nlp.rules.view import ArticleView, Sentence, without_abbreviation_dots
from kg.text import LO

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MeetingWords:
    trigger: re.Pattern
    types: dict[str, str]  # lower-case phrase -> meeting type
    bare_reception: frozenset[str]
    read_as_words: frozenset[str]
    receiver_after: re.Pattern
    after_words: re.Pattern
    plural: re.Pattern
    pair: re.Pattern
    joint: re.Pattern
    joint_blocker: re.Pattern
    object_stop: re.Pattern
    list_separator: re.Pattern
    shared_counterpart: re.Pattern
    place_intro: re.Pattern
    visit_frame: re.Pattern
    clause_opening: re.Pattern
    when_clause: re.Pattern
    title_words: re.Pattern
    honorific: re.Pattern

    @classmethod
    def load(cls, lex: Lexicon) -> "MeetingWords":
        types = {p.lower(): v for p, v in lex.valued("meeting")}
        alternation = "|".join(re.escape(p).replace(r"\ ", "[ _]") for p in sorted(types, key=lambda p: (-len(p), p)))
        return cls(
            trigger=regex(lex.expand(rf"<<WB>>(?i:{alternation})<<WE>>")),
            types=types,
            bare_reception=frozenset(p.lower() for p in lex.phrases("meeting.reception_bare")),
            read_as_words=frozenset(p.lower() for p in lex.phrases("tokenizer.read_as_words")),
            receiver_after=lex.pattern("meeting.receiver_after"),
            after_words=lex.pattern("meeting.refers_back"),
            plural=lex.pattern("meeting.plural_title"),
            pair=lex.pattern("meeting.the_two_sides"),
            joint=lex.pattern("meeting.joint_subjects"),
            joint_blocker=lex.pattern("meeting.joint_blocker"),
            object_stop=lex.pattern("meeting.object_stop"),
            list_separator=lex.pattern("meeting.list_separator"),
            shared_counterpart=lex.pattern("meeting.shared_counterpart"),
            place_intro=lex.pattern("meeting.place_intro"),
            visit_frame=lex.pattern("meeting.visit_frame"),
            clause_opening=lex.pattern("meeting.clause_opening"),
            when_clause=lex.pattern("meeting.when_clause"),
            title_words=lex.pattern("meeting.title_words"),
            honorific=lex.pattern("person.honorific"),
        )


def meetings(view: ArticleView, words: MeetingWords, visits: Sequence[Visit]) -> Iterator[Meeting]:
    """Every meeting the article states; `visits` are the article's visits (its guest, its days)."""
    current: PartialDate | None = None  # the time the story is at: the last day it named, or its visit
    for sentence in view.sentences:
        when = _date(view, words, visits, sentence, current)
        yield from _sentence_meetings(view, words, visits, sentence, when)
        days = view.day_dates(sentence)
        now = [d for d in days if not _historic(view, d)]
        if now:
            current = view.dated(now[-1].first)
        elif not days:
            current = when or current  # a past day told in passing leaves the story's time as it was


def _historic(view: ArticleView, date) -> bool:
    """A day of a past year told in passing ('thiết lập quan hệ ngày 24/6/1967'): not the story's time."""
    year = date.first.year
    latest = view.date.year if view.date else view.latest_year
    return bool(year and latest and year < latest - 1)


@dataclass
class _Trigger:
    start: int  # in the sentence
    end: int
    meeting_type: str
    word: str


def _sentence_meetings(view: ArticleView, w: MeetingWords, visits: Sequence[Visit], sentence: Sentence,
                       when: PartialDate | None) -> Iterator[Meeting]:
    text = sentence.text
    triggers = []
    for m in w.trigger.finditer(text):
        word = m.group(0).lower().replace("_", " ")
        if word in w.read_as_words and not view.is_word(sentence.start + m.start(), sentence.start + m.end()):
            continue  # the segmenter reads it inside a longer word: 'tiếp tục', 'chào mừng'

        if word in w.bare_reception and not w.receiver_after.match(text, m.end()):
            continue  # 'tiếp tục', 'tiếp xúc', 'tiếp theo' are not receptions
        triggers.append(_Trigger(m.start(), m.end(), w.types[word], word))
    if not triggers:
        return
    place = _place(view, w, sentence)
    persons = sentence.persons()
    subject: list[str] | None = None  # the subject carried along a chain of verbs ...
    counterparts: list[Mention] = []  # ... and the counterparts of its last verb
    made: set[tuple] = set()

    def meeting(keys: Sequence[str], trig: _Trigger, confidence: float) -> Meeting | None:
        keys = sorted(set(keys))
        if len(keys) < 2 or (tuple(keys), trig.meeting_type) in made:
            return None
        made.add((tuple(keys), trig.meeting_type))
        return Meeting(participants=tuple(Ref("person", k) for k in keys), meeting_type=trig.meeting_type,
                       evidence=Evidence(sentence.start, sentence.end, f"meeting.{trig.meeting_type.lower()}",
                                         confidence),
                       date=when, place=place)

    main = _main_subject(w, sentence, persons, triggers)
    for i, trig in enumerate(triggers):
        t0, t1 = trig.start, trig.end
        next_start = triggers[i + 1].start if i + 1 < len(triggers) else len(text)
        before = [p for p in persons if sentence.rel(p.end) <= t0]
        objects = _objects(view, w, sentence, persons, t1, next_start)
        if not objects and i + 1 < len(triggers) and w.shared_counterpart.fullmatch(text[t1:next_start]):
            # 'gặp riêng và hội đàm với A': the verbs share their counterpart
            objects = _objects(view, w, sentence, persons, triggers[i + 1].end,
                               triggers[i + 2].start if i + 2 < len(triggers) else len(text))
        if w.after_words.search(text[max(0, t0 - 12):t0]) and not objects:
            continue  # 'Sau hội đàm, ...' refers to a meeting already reported
        if main is not None and (w.clause_opening.search(text, 0, t0) or w.when_clause.search(text, 0, t0)):
            # '...; hội kiến X, gặp Y': a clause opened by its verb goes on with the sentence's
            # subject; so does 'trước khi có cuộc hội kiến X' ('ông Putin ... trước khi ...')
            subject, counterparts = [main.key], counterparts if subject == [main.key] else []
        if t0 == 0 or (text[:t0].strip() == "" and trig.word[:1].isalpha()):
            # 'Gặp Tổng thống X, Thủ tướng Y cảm ơn ...': the subject follows the object
            fact = _opening(sentence, persons, t1)
            if fact is not None:
                m = meeting(fact, trig, 0.8)
                if m is not None:
                    yield m
            continue
        plural = w.plural.search(text[max(0, t0 - 60):t0])
        if plural and not (before and sentence.rel(before[-1].end) > t0 - 60 + plural.end()):
            # 'Hai Thủ tướng hội đàm': the two holders of that title
            title = plural.group(1)
            holders = sorted({p.person for p in view.positions
                              if p.title == title or p.title.startswith(title + " ")})
            if len(holders) == 2:
                m = meeting(holders, trig, 0.75)
                if m is not None:
                    yield m
            continue
        if w.pair.search(text[max(0, t0 - 40):t0]) and not before:
            # 'hai nhà lãnh đạo đã hội đàm': the two sides of the article's visit
            pair = _guest_and_host(view, visits)
            if pair is not None:
                m = meeting(pair, trig, 0.7)
                if m is not None:
                    yield m
            continue
        subjects = _subjects(w, sentence, before, t0, subject, counterparts)
        if subjects is None:
            subject, counterparts = None, objects
            continue
        subject, counterparts = subjects, objects
        if objects:
            for obj in objects:
                for s in subjects:
                    m = meeting([s, obj.key], trig, 0.85)
                    if m is not None:
                        yield m
        elif len(subjects) >= 2:
            m = meeting(subjects, trig, 0.85)
            if m is not None:
                yield m
        else:
            guest = _guest_of(view, visits, subjects[0])
            if guest is not None:
                m = meeting([subjects[0], guest], trig, 0.7)
                if m is not None:
                    yield m


def _main_subject(w: MeetingWords, sentence: Sentence, persons: list[Mention], triggers) -> Mention | None:
    """The subject of the sentence: its first person, named before its first clause ends and before
    any meeting verb ('Trong thời gian chuyến thăm, Thủ tướng X đã ...; hội kiến Y, gặp Z')."""
    if not persons or not triggers:
        return None
    first = persons[0]
    first_clause = sentence.text.find(";")
    if sentence.rel(first.end) > triggers[0].start or (0 <= first_clause < sentence.rel(first.start)):
        return None
    return first


def _subjects(w: MeetingWords, sentence: Sentence, before: list[Mention], t0: int,
              carried: list[str] | None, counterparts: list[Mention]) -> list[str] | None:
    """The subject(s) of the verb at `t0`: the person(s) just before it, or the chain's subject.

    A person before the verb who is the last verb's counterpart is not a new subject: 'X
    hội đàm với A tại ... và hội kiến B' — X meets B. Nor is one listed after it with a comma."""
    text = sentence.text
    if not before:
        return carried
    last = before[-1]
    if carried is not None and (any(last is c for c in counterparts) or not _new_subject(w, sentence, last, t0)):
        return carried
    subject = before[-1]
    gap = sentence.gap_after(subject, sentence.start + t0)
    if len(gap) > 110 or ";" in gap or re.search(r"\. ", gap) or w.object_stop.search(gap):
        return None
    keys = [subject.key]
    if len(before) >= 2:  # 'A và B hội đàm'
        joint = text[sentence.rel(before[-2].end):sentence.rel(subject.start)]
        if w.joint.fullmatch(joint) and not w.joint_blocker.search(joint):
            keys.insert(0, before[-2].key)
    return keys


def _new_subject(w: MeetingWords, sentence: Sentence, person: Mention, t0: int) -> bool:
    """Whether `person`, before the verb at `t0`, is its subject rather than an earlier verb's counterpart."""
    gap = sentence.text[sentence.rel(person.end):t0]
    return not w.list_separator.fullmatch(gap) and len(gap) <= 110 and ";" not in gap and \
        not w.object_stop.search(gap) and not re.match(r"\s*[,;]", gap)


def _objects(view: ArticleView, w: MeetingWords, sentence: Sentence, persons: list[Mention], t1: int,
             stop: int) -> list[Mention]:
    """The counterparts after a verb: the first person, and those listed with it ('A, B và C')."""
    text = sentence.text
    after = [p for p in persons if t1 <= sentence.rel(p.start) < stop]
    if not after:
        return []
    first = after[0]
    between = without_abbreviation_dots(text[t1:sentence.rel(first.start)])  # 'Smt. Sumitra Mahajan'
    if len(between) > 80 or re.search(r"[.;]", between) or w.object_stop.search(between):
        return []
    out = [first]
    for person in after[1:]:
        gap = text[sentence.rel(out[-1].end):sentence.rel(person.start)]
        sep = w.list_separator.match(gap)
        if not sep:
            break
        rest = gap[sep.end():]
        # what stands between the separator and the name may only be titles and honorifics
        rest = w.title_words.sub(" ", rest)
        rest = w.honorific.sub(" ", rest)
        if re.search(rf"{LO}{{2,}}", _strip_caps(rest)):
            break
        out.append(person)
    return [p for i, p in enumerate(out) if all(q.key != p.key for q in out[:i])]


def _strip_caps(text: str) -> str:
    """`text` without its capitalised words (names of countries and bodies in a title)."""
    return re.sub(r"(?<!\w)[^\W\d_][^\s,;]*", lambda m: "" if m.group(0)[0].isupper() else m.group(0), text)


def _opening(sentence: Sentence, persons: list[Mention], t1: int) -> list[str] | None:
    after = [p for p in persons if sentence.rel(p.start) >= t1]
    comma = sentence.text.find(", ", t1)
    if len(after) < 2 or comma < 0:
        return None
    obj, subject = after[0], after[1]
    if not (sentence.rel(obj.end) <= comma < sentence.rel(subject.start)) or \
            sentence.rel(subject.start) - comma > 40 or sentence.rel(obj.start) - t1 > 60:
        return None
    return [obj.key, subject.key]


def _guest_of(view: ArticleView, visits: Sequence[Visit], host: str) -> str | None:
    """The visitor of the article's visit to `host`'s country: the other side of a meeting with `host`."""
    home = view.nationality(host)
    guests = {v.visitor.key for v in visits
              if v.visitor.key != host and home is not None and v.destination.key == home}
    return guests.pop() if len(guests) == 1 else None


def _guest_and_host(view: ArticleView, visits: Sequence[Visit]) -> list[str] | None:
    """The visitor of the article's first visit and its host (the inviter), when both are known."""
    for v in visits:
        if v.invited_by is not None:
            return [v.visitor.key, v.invited_by.key]
    return None


def _date(view: ArticleView, w: MeetingWords, visits: Sequence[Visit], sentence: Sentence,
          current: PartialDate | None) -> PartialDate | None:
    """When a sentence's meetings took place: a day it names; else, for meetings held during the
    article's visit ('Trong khuôn khổ chuyến thăm'), the visit's time (or, with no dates given, the
    month of the article); else the time the story is at."""
    days = view.day_dates(sentence)
    if days:
        return view.dated(days[0].first)
    if w.visit_frame.search(sentence.text):
        span = _visit_span(visits)
        if span is not None:
            return span
        if view.date is not None:
            return PartialDate(view.date.year, view.date.month, None, note="month of the article's date")
    return current


def _visit_span(visits: Sequence[Visit]) -> PartialDate | None:
    """The time of the article's visit: its day, or its month when it lasts several days."""
    for v in visits:
        if v.start is None:
            continue
        last = v.end or v.start
        if v.start.key() == last.key():
            return v.start
        if v.start.year and v.start.month == last.month:
            return PartialDate(v.start.year, v.start.month, None, note=v.start.note)
    return None


def _place(view: ArticleView, w: MeetingWords, sentence: Sentence) -> Ref | None:
    for m in w.place_intro.finditer(sentence.text):
        pos = sentence.start + m.end()
        for mention in sentence.of_kind("location"):
            if mention.start == pos:
                return Ref("location", mention.key)
    return None
