"""Agreements: documents named in the article, their parties, signing dates and signatories.

A name starts with a document noun ("Hiệp định", "Bản ghi nhớ", "thỏa thuận", "Tuyên bố
chung") and runs to the next clause ("... nhân dịp ...", "... được ký ...", a comma). A
count with a list ("ký kết 4 văn kiện về A, B, C và D") names one document per item.
Parties come from the name ("giữa Bộ X và Bộ Y", "Việt Nam - Singapore"), else from
"giữa A và B" in the sentence, else the article's two countries.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.compiled import regex
from kg.nlp.dates import PartialDate
from kg.nlp.lexicon import Lexicon
from kg.nlp.records import Agreement, Evidence, Ref
from kg.nlp.rules.view import ArticleView, Sentence
from kg.text import fold

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AgreementWords:
    noun: re.Pattern
    noun_start: re.Pattern
    lower_noun: re.Pattern
    generic: frozenset[str]
    blockers: re.Pattern
    sign: re.Pattern
    name_stop: re.Pattern
    trailing: re.Pattern
    self_named: frozenset[str]
    issued: re.Pattern
    counted_list: re.Pattern
    list_end: re.Pattern
    list_and: re.Pattern
    about: re.Pattern
    numbers: dict[str, int]
    signed_in_brackets: re.Pattern
    after_meeting: re.Pattern
    meeting_words: re.Pattern
    two_ministries: re.Pattern
    between: re.Pattern
    witness: re.Pattern
    joint: re.Pattern
    amends: re.Pattern

    @classmethod
    def load(cls, lex: Lexicon) -> "AgreementWords":
        return cls(
            noun=lex.words("agreement.noun"),
            noun_start=regex(lex.expand("(?:<<agreement.noun>>)<<WE>>")),
            lower_noun=lex.pattern("agreement.lower_case_name"),
            generic=frozenset(w for p in lex.phrases("agreement.generic") for w in p.split()),
            blockers=lex.pattern("agreement.not_yet_made"),
            sign=lex.words("agreement.sign"),
            name_stop=lex.pattern("agreement.name_stop"),
            trailing=lex.pattern("agreement.name_trailing"),
            self_named=frozenset(lex.phrases("agreement.self_named")),
            issued=lex.pattern("agreement.issued_before"),
            counted_list=lex.pattern("agreement.counted_list"),
            list_end=lex.pattern("agreement.list_end"),
            list_and=lex.pattern("agreement.list_and"),
            about=lex.pattern("agreement.list_about"),
            numbers=lex.numbers("number_word"),
            signed_in_brackets=lex.pattern("agreement.signed_in_brackets"),
            after_meeting=lex.pattern("agreement.after_meeting"),
            meeting_words=lex.pattern("agreement.meeting_words"),
            two_ministries=lex.pattern("agreement.two_ministries"),
            between=lex.pattern("agreement.between"),
            witness=lex.pattern("agreement.witness"),
            joint=lex.pattern("meeting.joint_subjects"),
            amends=lex.pattern("agreement.amends"),
        )


def agreements(view: ArticleView, words: AgreementWords) -> Iterator[Agreement]:
    """Every document the article names."""
    last_meeting_day: PartialDate | None = None
    for sentence in view.sentences:
        yield from _sentence_agreements(view, words, sentence, last_meeting_day)
        days = view.day_dates(sentence)
        if days and words.meeting_words.search(sentence.text):
            last_meeting_day = view.dated(days[0].first)


def _sentence_agreements(view: ArticleView, w: AgreementWords, sentence: Sentence,
                         last_meeting_day: PartialDate | None) -> Iterator[Agreement]:
    text = sentence.text
    sign = w.sign.search(text)
    signed_date = None
    if sign:
        days = view.day_dates(sentence)
        if days:
            signed_date = view.dated(days[0].first)
        elif w.after_meeting.match(text) and last_meeting_day is not None:
            signed_date = last_meeting_day  # 'Sau hội đàm, hai bên ký ...': the day of the talks
    names = list(w.noun.finditer(text)) + [m for m in w.lower_noun.finditer(text)]
    names.sort(key=lambda m: (m.start(), -m.end()))
    taken_until = -1
    found = []
    for m in names:
        if m.start() < taken_until and not w.amends.search(text[max(0, m.start() - 20):m.start()]):
            continue  # a noun inside a name already read; but 'Công thư ... sửa đổi Hiệp định X' names X too
        rest = text[m.end():]
        stop = w.name_stop.search(rest)
        name = (m.group(0) + rest[:stop.start()] if stop else m.group(0) + rest).strip()
        name = w.trailing.sub("", name)
        head = w.noun_start.match(name[0].upper() + name[1:])
        tail = name[head.end():].strip() if head else name[len(m.group(0)):].strip()
        words = tail.split()
        if not words and m.group(0) in w.self_named and w.issued.search(text[max(0, m.start() - 25):m.start()]):
            words = [m.group(0)]  # 'hai nhà lãnh đạo ra Tuyên bố chung' names the document fully
        elif not words or all(x in w.generic for x in words):
            log.debug("agreement dropped: generic name %r", name)
            continue
        if len(words) > 40:
            continue
        if w.blockers.search(text[max(0, m.start() - 30):m.start()]):
            log.debug("agreement dropped: not yet made (%r)", text[max(0, m.start() - 30):m.start()])
            continue
        end = m.start() + len(name)
        taken_until = max(taken_until, end)
        found.append((m, name, end))
    for i, (m, name, end) in enumerate(found):
        nested = any(o.start() < m.start() and oend >= end for o, _, oend in found[:i])
        outer = any(m.start() < o.start() and oend == end for o, _, oend in found[i + 1:])
        signed = None
        bracket = w.signed_in_brackets.search(text, end, end + 30)
        if bracket and not outer:  # '(năm 2005)' after a name dates the innermost document it closes
            dates = view.reader.find(bracket.group(0))
            if dates:
                signed = dates[0].first
        elif signed_date is not None and sign and sign.start() < m.start() and not nested:
            signed = signed_date
        signers: tuple[Ref, ...] = ()
        if sign and sign.start() < m.start() and not nested:
            signers = _signers(w, sentence, sign.start())
        yield Agreement(label=name, evidence=Evidence(sentence.start, sentence.end, "agreement.named", 0.8),
                        parties=_parties(view, w, sentence, sentence.start + m.start(), sentence.start + end),
                        signed=signed, signed_by=signers)
    yield from _counted_list(view, w, sentence, signed_date)


def _counted_list(view: ArticleView, w: AgreementWords, sentence: Sentence, signed_date) -> Iterator[Agreement]:
    """'ký kết 4 văn kiện về A, B, C và D': one document per item, when the count agrees."""
    text = sentence.text
    for m in w.counted_list.finditer(text):
        count = int(m["count"]) if m["count"].isdigit() else w.numbers.get(m["count"].lower(), 0)
        body = text[m.end():]
        end = w.list_end.search(body)
        body = body[:end.start()] if end else body
        items = [i.strip() for i in re.split(r", ", body) if i.strip()]
        if len(items) == count - 1 and w.list_and.search(items[-1]):
            last = items.pop()
            head, _, tail = last.rpartition(w.list_and.search(last).group(0))
            items += [x.strip() for x in (head, tail)]
        if count < 2 or len(items) != count:
            log.debug("agreement list dropped: %d items for %d announced", len(items), count)
            continue
        about = m["about"] + " " if w.about.fullmatch(m["about"]) else ""
        for item in items:
            named = w.noun_start.match(item)
            label = item if named else f"{m['noun']} {about}{item}".strip()
            yield Agreement(label=label, evidence=Evidence(sentence.start, sentence.end, "agreement.list", 0.75),
                            parties=_parties(view, w, sentence, None, None), signed=signed_date)


def _parties(view: ArticleView, w: AgreementWords, sentence: Sentence, start: int | None,
             end: int | None) -> tuple[Ref, ...]:
    """Countries or bodies named in the agreement's name, or 'giữa A và B', or the article's two countries."""
    if start is not None:
        inside = [m for m in sentence.of_kind("country", "organization") if start <= m.start < end]
        between = w.between.search(sentence.text, sentence.rel(start), sentence.rel(end))
        if between:  # 'Bản ghi nhớ ... giữa Bộ Giáo dục Việt Nam và Bộ Giáo dục Singapore'
            named = [m for m in inside if m.start >= sentence.start + between.end()]
            keys = list(dict.fromkeys((m.kind, m.key) for m in named))
            if len(keys) >= 2:
                return tuple(sorted(Ref(k, key) for k, key in keys[:3]))
        keys = list(dict.fromkeys(("country", m.key) for m in inside if m.kind == "country"))
        if len(keys) >= 2:
            return tuple(sorted(Ref(k, key) for k, key in keys))
    text = sentence.text
    two = w.two_ministries.search(text)
    if two:
        prefix = fold(two["body"])
        orgs = [key for (kind, key), info in view.entities.items()
                if kind == "organization" and fold(info.name).startswith(prefix)
                and info.country in view.main_countries]
        if len(orgs) == 2:
            return tuple(sorted(Ref("organization", k) for k in orgs))
    between = w.between.search(text)
    if between:
        after = [m for m in sentence.of_kind("country", "organization")
                 if 0 <= sentence.rel(m.start) - between.end() <= 60]
        keys = list(dict.fromkeys((m.kind, m.key) for m in after))
        if len(keys) >= 2:
            return tuple(sorted(Ref(k, key) for k, key in keys[:3]))
    main = view.main_countries
    return tuple(sorted(Ref("country", k) for k in main)) if len(main) == 2 else ()


def _signers(w: AgreementWords, sentence: Sentence, sign_pos: int) -> tuple[Ref, ...]:
    before = [p for p in sentence.persons() if sentence.rel(p.end) <= sign_pos]
    if len(before) >= 2:
        gap = sentence.text[sentence.rel(before[-1].end):sign_pos]
        joint = sentence.text[sentence.rel(before[-2].end):sentence.rel(before[-1].start)]
        if len(gap) <= 20 and w.joint.fullmatch(joint) and not w.witness.search(gap):
            return tuple(sorted({Ref("person", before[-2].key), Ref("person", before[-1].key)}))
    return ()

