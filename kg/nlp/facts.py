"""Fact rules: visits, meetings, agreements and economic figures, read off a spaCy Doc.

Each rule is a function `(Context) -> Iterable[Fact]` over one sentence at a time,
with the entities the recogniser found. Trigger words are data
(ontology/rules/triggers.jsonl). A candidate that fails a check is dropped with a
logged reason; precision matters more than recall, so a rule that is unsure says
nothing.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from pathlib import Path

from kg.nlp.dates import PartialDate, find_dates, with_year
from kg.nlp.recognizer import HOME_COUNTRY, Mention, _read_jsonl
from kg.text import UP, WB_AFTER, WB_BEFORE, word_re

log = logging.getLogger(__name__)


@dataclass
class Fact:
    """One n-ary fact: `kind` is visit | meeting | agreement | figure; `attrs` its roles."""

    kind: str
    rule: str
    start: int  # the evidence sentence, as offsets in the article's cleaned text
    end: int
    confidence: float
    attrs: dict = field(default_factory=dict)


@dataclass
class Sentence:
    start: int
    end: int
    text: str
    mentions: list[Mention]

    def persons(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "person"]

    def of_kind(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]

    def local(self, m: Mention) -> tuple[int, int]:
        return m.start - self.start, m.end - self.start


class Lexicon:
    """Trigger phrases by kind, from ontology/rules/triggers.jsonl; lists and patterns built once."""

    def __init__(self, rules_dir: Path):
        self.rows = _read_jsonl(rules_dir / "triggers.jsonl")
        self._phrases: dict[str, list[str]] = {}
        self._valued: dict[str, list[tuple[str, str]]] = {}

    def phrases(self, kind: str) -> list[str]:
        if kind not in self._phrases:
            out = {p for row in self.rows if row["kind"] == kind for p in row["phrases"]}
            self._phrases[kind] = sorted(out, key=lambda p: (-len(p), p))
        return self._phrases[kind]

    def valued(self, kind: str) -> list[tuple[str, str]]:
        if kind not in self._valued:
            out = {(p, row["value"]) for row in self.rows if row["kind"] == kind for p in row["phrases"]}
            self._valued[kind] = sorted(out, key=lambda pv: (-len(pv[0]), pv[0]))
        return self._valued[kind]

    def regex(self, kind: str, flags: int = 0) -> re.Pattern:
        return word_re("|".join(re.escape(p) for p in self.phrases(kind)), flags)


@dataclass
class Context:
    """What the rules need to know about the article beyond one sentence."""

    text: str
    sentences: list[Sentence]
    date: dt.date | None
    entities: dict
    lexicon: Lexicon
    positions: list = field(default_factory=list)

    @cached_property
    def year_hint(self) -> tuple[int | None, str | None]:
        """A year for month-days when the article has no date: only from explicit evidence."""
        if self.date is not None:
            return self.date.year, "year from the article's date"
        years = [int(y) for y in re.findall(r"(?<=[a-zà-ỹ] )trong năm ((?:19|20)\d\d)(?!\d)", self.text)]
        if years and len(set(years)) == 1:
            return years[0], f"year from 'trong năm {years[0]}' in the article"
        compared = _this_year_from_comparison(self.text)
        if compared:
            return compared, f"year from 'năm ngoái ... so với năm {compared - 2}' in the article"
        return None, None

    @cached_property
    def stated_year(self) -> int | None:
        """The year an undated article states for its own period ('6 tháng đầu năm 2024' in the lede)."""
        m = re.search(r"tháng đầu năm ((?:19|20)\d\d)|(?:quý|Quý) [IV1-4]+/((?:19|20)\d\d)", self.text)
        return int(m.group(1) or m.group(2)) if m else None

    @cached_property
    def main_countries(self) -> list[str]:
        """The article's two countries: Vietnam and the partner it names most (or the top two)."""
        counts = Counter(m.key for s in self.sentences for m in s.mentions if m.kind == "country")
        for p in self.positions:  # 'Thủ tướng Phạm Minh Chính' names Vietnam without saying it
            if p.country:
                counts[p.country] += 1
        for (kind, key), info in self.entities.items():
            if kind == "country" and key not in counts:
                counts[key] = 1
        ranked = [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        if HOME_COUNTRY in ranked:
            others = [k for k in ranked if k != HOME_COUNTRY]
            return [HOME_COUNTRY] + others[:1]
        return ranked[:2]

    def dated(self, date: PartialDate) -> PartialDate:
        year, note = self.year_hint
        return with_year(date, self.date, note=note if self.date is None else None,
                         anchor_year=year if self.date is None else None)


def _between(sentence: Sentence, a: int, b: int) -> str:
    return sentence.text[a - sentence.start:b - sentence.start]


def _clause_bounds(sentence: Sentence, pos: int) -> tuple[int, int]:
    """The clause (between ';' marks) of the sentence around absolute offset `pos`."""
    rel = pos - sentence.start
    left = sentence.text.rfind(";", 0, rel)
    right = sentence.text.find(";", rel)
    return (sentence.start + (left + 1 if left >= 0 else 0),
            sentence.start + (right if right >= 0 else len(sentence.text)))


# ---------------------------------------------------------------- visits

# a full stop that ends an abbreviation, not a clause: 'Marcos Jr. đang thăm'
_ABBREV_DOT = re.compile(r"^(?:Jr|Sr|[A-ZĐ])\.|(?<=\s)(?:Jr|Sr|[A-ZĐ])\.")
_INVITE = re.compile(r"(?:theo|nhận|Theo|Nhận) lời mời của ")


def visit_rule(ctx: Context, sentence: Sentence):
    lex = ctx.lexicon
    triggers = list(lex.regex("visit", re.IGNORECASE).finditer(sentence.text))
    if not triggers:
        return
    blockers = lex.phrases("visit_blocker")
    types = lex.valued("visit_type")
    statuses = lex.valued("visit_status")
    invite = _INVITE.search(sentence.text)
    inviter = None
    invite_span = (-1, -1)
    if invite:
        after = [m for m in sentence.persons() if m.start - sentence.start >= invite.end()]
        if after:
            inviter = after[0]
            invite_span = (invite.start(), inviter.end - sentence.start)
    dates = find_dates(sentence.text)
    for trig in triggers:
        t0, t1 = trig.start(), trig.end()
        before_text = sentence.text[max(0, t0 - 40):t0]
        word = trig.group(0)
        if any(before_text.endswith(b + " ") or before_text.endswith(b) for b in blockers) or \
                any(sentence.text[t0:].startswith(b) for b in blockers if b.startswith(word)):
            log.debug("visit dropped: blocked trigger in %r", sentence.text[:80])
            continue
        visitor = _visitor(sentence, t0, t1, word, invite_span)
        if visitor is None:
            log.debug("visit dropped: no visitor in %r", sentence.text[:80])
            continue
        lead_in = sentence.text[max(0, visitor.start - sentence.start - 30):t0]
        if re.search(r"(?<!\w)(?:mời|mong|đón|hy vọng|chào đón|hoan nghênh|nhận lời|cân nhắc)(?!\w)[^.;]*$", lead_in) \
                and not _INVITE.search(lead_in):
            log.debug("visit dropped: only hoped for or invited (%r)", lead_in)
            continue  # 'mong sớm đón Tổng thống X thăm Việt Nam', 'mời X sang thăm'
        if re.search(r"(?:thời điểm|thời gian|dịp) (?:thích hợp|phù hợp|sớm nhất)", sentence.text[t1:]) or \
                re.search(r"(?i)(?:kỷ niệm|năm sau|nhắc lại|nhớ lại|ôn lại)[^.;]{0,40}$|\btừng (?:đến |sang |tới )?$",
                          sentence.text[:t0]):
            log.debug("visit dropped: hoped for or recalled (%r)", sentence.text[:80])
            continue
        historic = re.search(r"năm ((?:19|20)\d\d)", sentence.text[t1:t1 + 120])
        if historic and ctx.date is not None and int(historic.group(1)) < ctx.date.year - 1:
            log.debug("visit dropped: a visit of %s recalled in %s", historic.group(1), ctx.date.year)
            continue
        info = ctx.entities.get(("person", visitor.key))
        home = info.nationality if info else None
        dest = None
        for m in sentence.of_kind("country", "location"):
            rel = m.start - sentence.start
            if rel < t1 or rel - t1 > 90:
                continue
            if invite_span[0] <= rel < invite_span[1]:
                continue
            key = m.key if m.kind == "country" else (ctx.entities.get(("location", m.key)).country
                                                    if ctx.entities.get(("location", m.key)) else None)
            if key is None or key == home:
                continue
            gap = sentence.text[t1:rel]
            if re.search(r"[.;]|, (?:theo|nhận)", gap):
                break
            dest = ("country", key)
            break
        if dest is None:
            log.debug("visit dropped: no destination after trigger in %r", sentence.text[:80])
            continue
        window = sentence.text[max(0, t0 - 25):min(len(sentence.text), t1 + 45)]
        visit_type = next((v for p, v in types if word_re(re.escape(p)).search(window)), None)
        status = None
        near = sentence.text[max(visitor.end - sentence.start, t0 - 40):t0]
        for phrase, value in statuses:
            if word_re(re.escape(phrase)).search(near):
                status = value
                break
        if status is None and re.search(r"(?:vào|nhân|trong) (?:dịp|khuôn khổ)(?: chuyến thăm của)?\s*(?:ông|bà)?\s*$",
                                        sentence.text[:visitor.start - sentence.start]):
            status = "Ongoing"  # the visit is the occasion of what the sentence reports
        attrs = {"visitor": visitor.key, "destination": dest, "visit_type": visit_type, "status": status}
        if inviter is not None and inviter.key != visitor.key:
            attrs["invited_by"] = inviter.key
        for d in dates:
            if d.start >= t1 and d.first.day is not None:  # the visit's own dates follow it
                first = ctx.dated(d.first)
                attrs["start"] = first
                if d.last is not None:
                    attrs["end"] = ctx.dated(d.last)
                break
        else:
            for d in dates:
                if d.start < t0 and d.first.day is not None:  # a day the visit is under way
                    attrs["date"] = ctx.dated(d.first)
                    break
        attrs["status"] = _visit_status(ctx, attrs)
        yield Fact("visit", "visit.trigger", sentence.start, sentence.end, 0.85 if visit_type else 0.75, attrs)


def _visitor(sentence: Sentence, t0: int, t1: int, word: str, invite_span) -> Mention | None:
    persons = sentence.persons()
    if word.lower().startswith("chuyến"):
        # 'chuyến thăm của X', 'chuyến thăm chính thức Việt Nam của Tổng thống X'
        m = re.match(r"[^,.;]{0,50}? của ", sentence.text[t1:t1 + 80])
        if m and re.search(r"(?i)thăm", m.group(0)):
            return None  # '60 năm sau chuyến thăm Ấn Độ của X': the 'của' belongs to another visit
        if m:
            after = [p for p in persons if 0 <= p.start - sentence.start - (t1 + m.end()) <= 40]
            if after:
                return after[0]
            return None
    before = [p for p in persons if p.end - sentence.start <= t0 and
              not (invite_span[0] <= p.start - sentence.start < invite_span[1])]
    if not before:
        return None
    candidate = before[-1]
    gap = sentence.text[candidate.end - sentence.start:t0]
    if re.search(r"(?i)\bthăm\b", gap):
        return None  # 'nơi X từng đến thăm, và thăm Y': X is the subject of the earlier visit only
    # another verb between the person and 'thăm' usually means another subject
    if candidate.text.endswith(("Jr", "Sr")) and gap.startswith("."):
        gap = gap[1:]
    if len(gap) > 120 or re.search(r"[.;]", _ABBREV_DOT.sub("", gap)):
        return None
    if re.search(r"\b(?:với|tiếp|hội kiến|gặp)\b", gap) and "dẫn đầu" not in gap:
        return None
    return candidate


def _visit_status(ctx: Context, attrs: dict) -> str | None:
    """Dates against the article's date decide; tense words otherwise."""
    if ctx.date is not None:
        start, end, day = attrs.get("start"), attrs.get("end"), attrs.get("date")
        first = start or day
        last = end or start or day
        try:
            if first and first.year and first.month and first.day and \
                    dt.date(first.year, first.month, first.day) > ctx.date:
                return "Planned"
            if last and last.year and last.month and last.day and \
                    dt.date(last.year, last.month, last.day) < ctx.date:
                return "Completed"
            if first and last and first.day and last.day and first.year and last.year:
                return "Ongoing"
        except ValueError:
            pass
    return attrs.get("status")


# ---------------------------------------------------------------- meetings

_PLURAL = re.compile(rf"(?:[Hh]ai) (?:vị |đồng chí )?({UP}[^\s,.;]*(?: [^\s,.;]+)?) (?:đã |cũng |sẽ )?$")


def meeting_rule(ctx: Context, sentence: Sentence):
    lex = ctx.lexicon
    kinds = lex.valued("meeting")
    alt = "|".join(re.escape(p) for p, _ in kinds)
    previous = None  # (subject key, object mention) of the sentence's last meeting
    by_word = dict(kinds)
    for trig in word_re(alt, re.IGNORECASE).finditer(sentence.text):
        word = trig.group(0).lower()
        mtype = by_word[word]
        t0, t1 = trig.start(), trig.end()
        if word == "tiếp" and not _reception_verb(sentence, t1):
            continue
        if trig.group(0)[0].isupper() and t0 == 0:
            # 'Gặp Tổng thống Pháp X, Thủ tướng Y cảm ơn ...': the subject follows the object
            fact = _opening_meeting(ctx, sentence, t1, mtype)
            if fact is not None:
                yield fact
            continue
        if sentence.text[:t0].rstrip().endswith(("Sau", "sau", "Trước", "trước", "Tại", "tại", "sau khi", "Sau khi")):
            continue  # 'Sau hội đàm, ...' refers to a meeting already reported
        persons = sentence.persons()
        before = [p for p in persons if p.end - sentence.start <= t0]
        after = [p for p in persons if p.start - sentence.start >= t1]
        plural = _PLURAL.search(sentence.text[max(0, t0 - 60):t0])
        if plural and not (before and before[-1].end - sentence.start > t0 - 60 + plural.end()):
            # 'Hai Thủ tướng hội đàm', 'hai nhà lãnh đạo đã gặp': the two holders of that title
            holders = sorted({p.person for p in ctx.positions
                              if p.title == plural.group(1) or p.title.startswith(plural.group(1) + " ")})
            if len(holders) == 2:
                attrs = {"participants": tuple(holders), "meeting_type": mtype}
                _date_and_place(ctx, sentence, attrs)
                yield Fact("meeting", f"meeting.{mtype.lower()}", sentence.start, sentence.end, 0.75, attrs)
            continue
        if not before:
            previous = (None, after[0] if after else None)
            continue
        subject = before[-1]
        if previous is not None and subject is previous[1]:
            if previous[0] is None:
                continue  # the only person before is the object of an earlier verb with no subject
            # 'X sẽ hội đàm với A ... và hội kiến B': X is still the subject
            subject_key = previous[0]
        else:
            subject_key = subject.key
        gap = _ABBREV_DOT.sub("", sentence.text[subject.end - sentence.start:t0])
        if subject.text.endswith(("Jr", "Sr")) and gap.startswith("."):
            gap = gap[1:]
        if len(gap) > 110 or ";" in gap or re.search(r"\. ", gap):
            continue
        participants = [subject_key]
        # 'A và B hội đàm', 'A và B đồng chủ trì'
        if len(before) >= 2:
            joint = sentence.text[before[-2].end - sentence.start:subject.start - sentence.start]
            if re.fullmatch(r"[^,.;]{0,40}? và [^,.;]{0,60}", joint) and not re.search(r"lời mời", joint):
                participants.insert(0, before[-2].key)
        obj = None
        if after and len(participants) == 1:
            obj = after[0]
            between = sentence.text[t1:obj.start - sentence.start]
            if len(between) <= 80 and not re.search(r"[.;]|, (?:theo|nhận)", between):
                participants.append(obj.key)
        previous = (subject_key, obj)
        if len(set(participants)) < 2:
            log.debug("meeting dropped: one participant in %r", sentence.text[:80])
            continue
        attrs = {"participants": tuple(sorted(set(participants))), "meeting_type": mtype}
        _date_and_place(ctx, sentence, attrs)
        yield Fact("meeting", f"meeting.{mtype.lower()}", sentence.start, sentence.end, 0.85, attrs)


def _opening_meeting(ctx: Context, sentence: Sentence, t1: int, mtype: str) -> Fact | None:
    persons = [p for p in sentence.persons() if p.start - sentence.start >= t1]
    comma = sentence.text.find(", ", t1)
    if len(persons) < 2 or comma < 0:
        return None
    obj, subject = persons[0], persons[1]
    if not (obj.end - sentence.start <= comma < subject.start - sentence.start) or \
            subject.start - sentence.start - comma > 40 or obj.start - sentence.start - t1 > 60:
        return None
    attrs = {"participants": tuple(sorted({obj.key, subject.key})), "meeting_type": mtype}
    if len(attrs["participants"]) < 2:
        return None
    _date_and_place(ctx, sentence, attrs)
    return Fact("meeting", f"meeting.{mtype.lower()}", sentence.start, sentence.end, 0.8, attrs)


def _date_and_place(ctx: Context, sentence: Sentence, attrs: dict) -> None:
    dates = [d for d in find_dates(sentence.text) if d.first.day is not None]
    if dates:
        attrs["date"] = ctx.dated(dates[0].first)
    place = _place(ctx, sentence)
    if place:
        attrs["place"] = place


def _reception_verb(sentence: Sentence, t1: int) -> bool:
    """'tiếp' as 'receive': followed by a title or a name, not 'tiếp tục', 'tiếp xúc'."""
    rest = sentence.text[t1:t1 + 30]
    return bool(re.match(rf" (?:{UP}|ông |bà |Đoàn |đoàn )", rest))


def _place(ctx: Context, sentence: Sentence):
    m = re.search(rf"{WB_BEFORE}(?:tại|ở) ", sentence.text)
    while m:
        pos = sentence.start + m.end()
        for mention in sentence.of_kind("location"):
            if mention.start == pos:
                return mention.key
        m = re.compile(rf"{WB_BEFORE}(?:tại|ở) ").search(sentence.text, m.end())
    return None


# ---------------------------------------------------------------- agreements

_NAME_STOP = re.compile(
    r"(?:[,;:.(]| và (?=(?:các )?(?:Hiệp định|Nghị định thư|Thỏa thuận|Bản ghi nhớ|Tuyên bố|Kế hoạch|Hiệp ước|Công ước|"
    r"Chương trình|Biên bản|văn kiện))| và các | và (?:chứng kiến|ký|trao|thông qua|ra|công bố|nhất trí|khẳng định|đánh giá)| nhằm | để | có hiệu lực| được | là | đã | sẽ | với | cũng | cùng | trong thời gian"
    r"| tại | vào | theo | mà | đang | thì | như | song (?!phương)| góp phần| ký năm | thay thế |(?<!tự) do (?=[A-ZĐ]|hai|các|ông|bà))")
_LIST = re.compile(r"(?P<count>\d+|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) (?P<noun>văn kiện|thỏa thuận|bản ghi nhớ|hiệp định|văn bản)(?: hợp tác)?(?: giữa [^,.;]{3,60}?)?,? (?P<about>về|trong các lĩnh vực|trong lĩnh vực|gồm|:)")
_NUMBERS = {"hai": 2, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_SIGNED_YEAR = re.compile(r"\((?:ký|ký kết)(?: năm| vào năm| ngày)? (?P<date>[^)]{1,20})\)")
_AFTER_MEETING = re.compile(r"^(?:Sau (?:khi )?(?:cuộc )?(?:hội đàm|hội kiến|hội nghị|buổi hội đàm)|Tại (?:buổi|cuộc|lễ)|"
                            r"Nhân dịp này|Cũng trong (?:dịp|ngày)|Trong khuôn khổ)")


def agreement_rule(ctx: Context, sentence: Sentence):
    lex = ctx.lexicon
    nouns = lex.phrases("agreement_noun")
    generic = set(lex.phrases("agreement_generic"))
    blockers = lex.phrases("agreement_blocker")
    text = sentence.text
    sign = word_re("ký|ký kết|lễ ký|lễ ký kết").search(text)
    signed_date = None
    if sign:
        after_sign = [d for d in find_dates(text) if d.first.day is not None]
        if after_sign:
            signed_date = ctx.dated(after_sign[0].first)
        elif _AFTER_MEETING.match(text) and ctx_last_meeting_date(ctx, sentence) is not None:
            signed_date = ctx_last_meeting_date(ctx, sentence)
    found = []
    noun_alt = "|".join(re.escape(n) for n in nouns)
    for m in word_re(noun_alt).finditer(text):
        rest = text[m.end():]
        stop = _NAME_STOP.search(rest)
        name = (m.group(0) + rest[:stop.start()] if stop else m.group(0) + rest).strip()
        name = re.sub(r"\s+(?:mới|này|đó|trên)$", "", name)
        tail = name[len(m.group(0)):].strip()
        words = tail.split()
        if not words and m.group(0) in ("Tuyên bố chung", "Thông cáo chung") and \
                re.search(r"\b(?:ký|ra|thông qua|công bố)\b", text[max(0, m.start() - 25):m.start()]):
            words = [m.group(0)]  # 'hai nhà lãnh đạo ra Tuyên bố chung' names the document fully
        elif not words or all(w in generic or any(w in g.split() for g in generic) for w in words):
            log.debug("agreement dropped: generic name %r", name)
            continue
        if len(words) > 40:
            continue
        pre = text[max(0, m.start() - 30):m.start()]
        if any(re.search(rf"{WB_BEFORE}{re.escape(b)} (?:(?:các|một|những|bản|về) )?$", pre) for b in blockers):
            log.debug("agreement dropped: not yet made (%r)", pre)
            continue
        attrs = {"label": name}
        ym = _SIGNED_YEAR.search(text, m.end() + len(tail), m.end() + len(tail) + 30)
        if ym:
            dates = find_dates(ym.group(0)) or find_dates("năm " + ym.group("date"))
            if dates:
                attrs["signed"] = dates[0].first
        elif signed_date is not None and sign and sign.start() < m.start():
            attrs["signed"] = signed_date
        attrs["parties"] = _parties(ctx, sentence, m.start() + sentence.start, m.end() + len(tail) + sentence.start)
        if sign and sign.start() < m.start():
            signers = _signers(sentence, sign.start())
            if signers:
                attrs["signed_by"] = signers
        found.append(Fact("agreement", "agreement.named", sentence.start, sentence.end, 0.8, attrs))
    for m in _LIST.finditer(text):
        count = int(m["count"]) if m["count"].isdigit() else _NUMBERS.get(m["count"], 0)
        body = text[m.end():]
        end = re.search(r"[.;]|, (?:với|trị giá|nâng|góp phần|tạo|nhằm|mở ra)\b", body)
        body = body[:end.start()] if end else body
        items = [i.strip() for i in re.split(r", ", body) if i.strip()]
        if len(items) == count - 1 and " và " in items[-1]:
            last = items.pop()
            items += [x.strip() for x in last.rsplit(" và ", 1)]
        if count < 2 or len(items) != count:
            log.debug("agreement list dropped: %d items for %d announced", len(items), count)
            continue
        about = "về " if m["about"] == "về" else ""
        for item in items:
            named = re.match(rf"(?:{noun_alt}){WB_AFTER}", item)
            attrs = {"label": item if named else f"{m['noun']} {about}{item}".strip()}
            if signed_date is not None:
                attrs["signed"] = signed_date
            attrs["parties"] = _parties(ctx, sentence, None, None)
            found.append(Fact("agreement", "agreement.list", sentence.start, sentence.end, 0.75, attrs))
    yield from found


def ctx_last_meeting_date(ctx: Context, sentence: Sentence) -> PartialDate | None:
    """The date of the last dated meeting sentence before this one ('Sau hội đàm, ...')."""
    for prev in reversed([s for s in ctx.sentences if s.end <= sentence.start]):
        if re.search(r"hội đàm|hội kiến|tiếp|gặp", prev.text):
            dates = [d for d in find_dates(prev.text) if d.first.day is not None]
            if dates:
                return ctx.dated(dates[0].first)
    return None


def _parties(ctx: Context, sentence: Sentence, start: int | None, end: int | None) -> tuple:
    """Countries or bodies named in the agreement's name, or 'giữa A và B', or the article's two countries."""
    if start is not None:
        inside = [m for m in sentence.of_kind("country") if start <= m.start < end]
        keys = list(dict.fromkeys(("country", m.key) for m in inside))
        if len(keys) >= 2:
            return tuple(keys)
    text = sentence.text
    two_bodies = re.search(r"hai Bộ (?P<field>[A-ZĐ][^\s,.;]*(?: [a-zđà-ỹ][^\s,.;]*)?)", text)
    if two_bodies:
        orgs = [key for (kind, key), info in ctx.entities.items()
                if kind == "organization" and info.name.startswith(f"Bộ {two_bodies['field']}")
                and info.country in ctx.main_countries]
        if len(orgs) == 2:
            return tuple(sorted(("organization", k) for k in orgs))
    between = re.search(r"giữa (?:hai nước |ba nước )?", text)
    if between:
        after = [m for m in sentence.of_kind("country", "organization")
                 if 0 <= m.start - sentence.start - between.end() <= 60]
        keys = list(dict.fromkeys((m.kind, m.key) for m in after))
        if len(keys) >= 2:
            return tuple(keys[:3])
    return tuple(("country", k) for k in ctx.main_countries) if len(ctx.main_countries) == 2 else ()


def _signers(sentence: Sentence, sign_pos: int) -> tuple:
    before = [p for p in sentence.persons() if p.end - sentence.start <= sign_pos]
    if len(before) >= 2:
        gap = sentence.text[before[-1].end - sentence.start:sign_pos]
        joint = sentence.text[before[-2].end - sentence.start:before[-1].start - sentence.start]
        if len(gap) <= 20 and re.fullmatch(r"[^,.;]{0,40}? và [^,.;]{0,60}", joint) and "chứng kiến" not in gap:
            return tuple(sorted({before[-2].key, before[-1].key}))
    return ()


# ---------------------------------------------------------------- economic figures

_MONEY = re.compile(
    r"(?P<a>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?)(?: ?(?:-|–|đến) ?(?P<b>\d{1,3}(?:\.\d{3})+|\d+(?:,\d+)?))?"
    r" ?(?P<scale>nghìn tỷ|nghìn tỉ|tỷ|tỉ|triệu|nghìn|ngàn)? ?(?P<unit>USD|đô la Mỹ|đôla Mỹ|đô la|US\$)")
_SCALE = {"nghìn tỷ": Decimal(10) ** 12, "nghìn tỉ": Decimal(10) ** 12, "tỷ": Decimal(10) ** 9, "tỉ": Decimal(10) ** 9,
          "triệu": Decimal(10) ** 6, "nghìn": Decimal(1000), "ngàn": Decimal(1000), None: Decimal(1)}
_CHANGE = re.compile(r"^[^.;]{0,12}?(?P<dir>tăng|giảm)(?: hơn| khoảng| gần| trên)? (?P<pct>\d+(?:,\d+)?) ?%"
                     r"|^[^.;]{0,12}?gấp(?: hơn| khoảng| gần)? (?P<factor>\d+(?:,\d+)?) lần")
# a change stated before the amount: 'giảm 5,2%, còn 11,4 tỉ USD'
_CHANGE_BEFORE = re.compile(r"(?P<dir>tăng|giảm)(?: hơn| khoảng| gần| trên)? (?P<pct>\d+(?:,\d+)?) ?%,? "
                            r"(?:còn|lên|lên mức|xuống|xuống còn|đạt) ?$")
_PROJECTS = re.compile(r"(?P<n>\d{1,3}(?:\.\d{3})*|\d+) dự án")
_COMPARE = re.compile(r"so với (?:cùng kỳ )?(?:năm|tháng)? ?(?:(?:19|20)\d\d|trước|ngoái)|cùng kỳ năm (?:(?:19|20)\d\d|trước)")


def parse_number(text: str) -> Decimal:
    """Vietnamese number: '.' groups thousands, ',' marks decimals ('1.160' = 1160, '1,4' = 1.4)."""
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", text):
        return Decimal(text.replace(".", ""))
    return Decimal(text.replace(",", "."))


def period_of(ctx: Context, text: str, sentence: str | None = None) -> str | None:
    """The period a figure covers: '2024', '2025-Q1', '2023-01/2023-11'; None when not stated.

    The last period named in `text` counts; `sentence` is where a comparison that dates
    'năm ngoái' may be ('năm ngoái đạt X, tăng 8% so với năm 2010')."""
    clean = _COMPARE.sub(" ", text)
    found: list[tuple[int, str]] = []
    for m in re.finditer(r"(?:quý|Quý) (?P<q>I{1,3}|IV|[1-4])(?:/| năm )(?P<y>(?:19|20)\d\d)", clean):
        q = {"I": 1, "II": 2, "III": 3, "IV": 4}.get(m["q"], None) or int(m["q"])
        found.append((m.start(), f"{m['y']}-Q{q}"))
    months = r"\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười một|mười hai|mười"
    for m in re.finditer(rf"(?P<n>{months}) tháng (?:đầu |đầu năm |của |của năm |năm )*(?:năm )?(?P<y>(?:19|20)\d\d)",
                         clean):
        n = int(m["n"]) if m["n"].isdigit() else {"một": 1, "mười một": 11, "mười hai": 12, **_NUMBERS}.get(m["n"], 0)
        if n == 3 and "đầu" in m.group(0):
            found.append((m.start(), f"{m['y']}-Q1"))
        elif n == 12:
            found.append((m.start(), m["y"]))
        elif 1 <= n <= 11:
            found.append((m.start(), f"{m['y']}-01/{m['y']}-{n:02d}"))
    for m in re.finditer(r"(?:năm|Năm) (?P<y>(?:19|20)\d\d)(?!\d| - | – |-)", clean):
        if not any(s <= m.start() < s + 40 and m.start() > s for s, _ in found):
            found.append((m.start(), m["y"]))
    if found:
        return max(found)[1]
    base_year = ctx.date.year if ctx.date else ctx.stated_year
    m = re.search(rf"(?P<n>{months}) tháng đầu năm(?! \d)|(?P<half>nửa đầu năm)(?! \d)", clean)
    if m and base_year:
        n = 6 if m["half"] else int(m["n"]) if m["n"].isdigit() else \
            {"một": 1, "mười một": 11, "mười hai": 12, **_NUMBERS}.get(m["n"], 0)
        if n == 3:
            return f"{base_year}-Q1"
        if 1 <= n <= 11:
            return f"{base_year}-01/{base_year}-{n:02d}"
    if re.search(r"(?i)năm ngoái|năm trước|năm qua", clean) and "cùng kỳ năm trước" not in text:
        inferred = _last_year_from_comparison(sentence or text)
        if inferred:
            return inferred
        if base_year:
            return str(base_year - 1)
    if re.search(r"năm nay", clean):
        if base_year:
            return str(base_year)
        year = ctx.year_hint[0] or _this_year_from_comparison(ctx.text)
        if year:
            return str(year)
    return None


def _last_year_from_comparison(text: str) -> str | None:
    """'năm ngoái đạt ..., tăng 24% so với năm 2013': last year is the year after the one compared."""
    m = re.search(r"(?i)năm ngoái[^.;]*?so với năm ((?:19|20)\d\d)", text)
    return str(int(m.group(1)) + 1) if m else None


def _this_year_from_comparison(text: str) -> int | None:
    m = re.search(r"năm ngoái[^.;]*?so với năm ((?:19|20)\d\d)", text)
    return int(m.group(1)) + 2 if m else None


def figure_rule(ctx: Context, sentence: Sentence):
    lex = ctx.lexicon
    indicators = lex.valued("indicator")
    targets = lex.phrases("target")
    blockers = lex.phrases("figure_blocker")
    text = sentence.text
    moneys = list(_MONEY.finditer(text))
    # a figure with no period of its own continues the paragraph's: 'Trong đó, ...', or the next sentence of a
    # report on one period; not a stock ('Hiện ... có 267 dự án', 'lũy kế đến nay')
    last = getattr(ctx, "_last_period", None)
    stock = re.search(r"(?i)\b(?:hiện|hiện nay|lũy kế|tính đến|đến nay|tổng cộng)\b", text)
    inherited = last if last and (re.match(r"(?:Trong đó|trong đó)", text) or not stock) else None
    previous_sentence_indicator = getattr(ctx, "_last_indicator", None)
    previous_end = 0
    last_indicator = None
    for money in moneys:
        clause_start = max(text.rfind(";", 0, money.start()) + 1, previous_end)
        scope = text[clause_start:money.start()]
        indicator = None
        found = [(m.start(), m.end(), value) for phrase, value in indicators
                 for m in word_re(re.escape(phrase), re.IGNORECASE).finditer(scope)]
        # the last phrase before the amount names it; a phrase inside a longer one ('nhập khẩu' in
        # 'kim ngạch xuất nhập khẩu') does not count on its own
        found = [f for f in found if not any(o[0] <= f[0] and f[1] <= o[1] and (o[1] - o[0]) > (f[1] - f[0])
                                             for o in found)]
        if found:
            indicator = max(found, key=lambda f: (f[0], f[1] - f[0]))[2]
        # the clause goes on with the sentence's indicator: '...; 6 tháng đầu năm 2012 đạt 1,2 tỷ USD',
        # '..., năm nay hai bên phấn đấu đạt mục tiêu 2 tỷ USD', '... 7 tỷ USD vào năm 2015 và 10 tỷ USD'
        if indicator is None and last_indicator is not None and "(" not in scope and \
                (re.search(r"\b(?:đạt|lên|khoảng)\b", scope) or re.fullmatch(r"[\s,;]*(?:và|hoặc)?\s*", scope)
                 or re.fullmatch(r"[^,;]{0,25}(?:vào|đến) năm \d{4}[\s,]*(?:và)?\s*", scope)):
            indicator = "Trade" if last_indicator == "TradeTarget" and \
                re.search(r"\bđạt\b", scope) and not any(t in scope for t in targets) else last_indicator
        if indicator is None and last_indicator is None and previous_sentence_indicator in ("Trade", "TradeTarget") \
                and any(word_re(re.escape(t)).search(scope) for t in targets):
            indicator = "TradeTarget"  # 'Hai bên phấn đấu đạt 5 tỷ USD trong năm 2011' after a trade figure
        if indicator is None:
            after = re.match(r"\s*(?:vốn đăng ký|vốn đầu tư đăng ký|vốn FDI đăng ký)", text[money.end():money.end() + 30])
            indicator = "RegisteredInvestment" if after else None
        if indicator is None:
            continue
        if any(b in scope for b in blockers):
            log.debug("figure dropped: blocked context %r", scope[-60:])
            continue
        is_target = indicator == "TradeTarget" or indicator == "Trade" and \
            any(word_re(re.escape(t)).search(scope) for t in targets)
        if is_target:
            indicator = "TradeTarget"
        value = parse_number(money["a"]) * _SCALE[money["scale"]]
        if money["unit"] != "USD" and "Mỹ" not in money["unit"] and money["unit"] != "US$":
            continue
        attrs = {"indicator": indicator, "value": value, "unit": "USD"}
        if money["b"]:
            attrs["max_value"] = parse_number(money["b"]) * _SCALE[money["scale"]]
        rest = text[money.end():]
        change = _CHANGE.search(rest) or _CHANGE_BEFORE.search(scope)
        if change:
            if change["pct"]:
                pct = parse_number(change["pct"])
                attrs["change_percent"] = -pct if change["dir"] == "giảm" else pct
            else:
                attrs["change_factor"] = parse_number(change["factor"])
        clause_text = text[clause_start:money.end()]
        if is_target:
            # a target's year follows it: 'lên 15 tỷ USD vào năm 2020'
            after = re.match(r"\s*(?:vào|đến|tới|trước|trong)? ?(?:năm )((?:19|20)\d\d)(?!\d)", rest)
            period = after.group(1) if after else period_of(ctx, clause_text, sentence=text)
        else:
            period = period_of(ctx, clause_text, sentence=text) or period_of(ctx, text[:clause_start], sentence=text)
        if period is None and inherited and not is_target:
            period = inherited
        if period and not is_target:
            ctx._last_period = period  # even when this figure is dropped: it dates the report's next ones
        if period:
            attrs["period"] = period
        projects = _PROJECTS.search(text[clause_start:money.start()]) or _PROJECTS.search(text[:money.start()])
        if projects and indicator in ("RegisteredInvestment",):
            attrs["projects"] = int(projects["n"].replace(".", ""))
        if not _direction(ctx, sentence, attrs, clause_start, money.start()):
            log.debug("figure dropped: countries unknown in %r", text[:80])
            continue
        previous_end = money.end()
        last_indicator = indicator
        yield Fact("figure", f"figure.{indicator.lower()}", sentence.start, sentence.end, 0.8, attrs)
    if moneys:
        ctx._last_indicator = last_indicator


def _direction(ctx: Context, sentence: Sentence, attrs: dict, clause_start: int, money_start: int) -> bool:
    """from/to for one-way figures, between for trade; False when the countries cannot be told.

    A partner may be a bloc ('Việt Nam - EU', 'các nước ASEAN'): its key is then written
    'organization:<key>'. A figure about two other countries (a third country's trade) is dropped."""
    main = list(ctx.main_countries)
    text = sentence.text
    partners = [m for m in sentence.mentions if m.kind == "country" or
                (m.kind == "organization" and ctx.entities.get(("organization", m.key)) is not None
                 and ctx.entities[("organization", m.key)].country is None and _is_bloc(ctx, m.key))]

    def key(m: Mention) -> str:
        return m.key if m.kind == "country" else f"organization:{m.key}"

    if len(main) < 2:
        blocs = [key(m) for m in partners if m.kind == "organization"]
        if not blocs or not main:
            return False
        main.append(blocs[0])
    home, partner = main[0], main[1]

    def partner_after(words: str, limit: int = 40):
        for m in re.finditer(rf"{WB_BEFORE}(?:{words}) ", text[:money_start]):
            if m.start() < clause_start:
                continue  # another figure's words: '..., xuất khẩu của A sang B đạt X, nhập khẩu từ B đạt Y'
            for c in partners:
                if 0 <= c.start - sentence.start - m.end() <= limit:
                    return key(c)
        return None

    named = list(dict.fromkeys(key(c) for c in partners if c.start - sentence.start < money_start))
    if len(named) >= 2 and home not in named:
        return False  # another pair's figure: 'Trung Quốc là đối tác lớn nhất của Brazil với ...'
    indicator = attrs["indicator"]
    if not named and len(ctx.main_countries) < 2:
        return False
    if not named and not re.search(r"song phương|hai chiều|hai nước|hai bên|giữa", text) and \
            re.search(r"(?i)tổng kim ngạch|xuất nhập khẩu", text[:money_start]) and indicator == "Trade":
        return False  # the country's total trade, not a pair's
    if indicator in ("Trade", "TradeTarget"):
        pair = named[:2] if len(named) >= 2 else ([home, named[0]] if named and named[0] != home else [home, partner])
        attrs["between"] = tuple(sorted(pair))
        return True
    to = partner_after("sang|vào|tại|tới|đến")
    frm = partner_after("từ|của")
    if indicator == "Import":
        src = frm or (partner if to in (None, home) else None)
        dst = to if to and to != src else (home if src != home else partner)
    else:
        subject = next((key(c) for c in partners if c.start - sentence.start < money_start and key(c) != to), None)
        dst = to or (partner if (frm or subject or home) == home else home)
        src = frm if frm and frm != dst else (subject if subject and subject != dst else
                                              (home if dst != home else partner))
    attrs["from"], attrs["to"] = src, dst
    return src is not None and dst is not None and src != dst


def _is_bloc(ctx: Context, key: str) -> bool:
    """An international body that trades as one partner (EU, ASEAN), not a ministry or a party."""
    info = ctx.entities.get(("organization", key))
    return info is not None and info.country is None and not info.name.startswith(("Bộ ", "Đảng ", "Ủy ban"))


RULES = (visit_rule, meeting_rule, agreement_rule, figure_rule)


def extract_facts(ctx: Context) -> list[Fact]:
    """All facts of an article, sentence by sentence, rule by rule."""
    facts: list[Fact] = []
    for sentence in ctx.sentences:
        for rule in RULES:
            facts.extend(rule(ctx, sentence))
    return facts
