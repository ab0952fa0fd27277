"""Dates as Vietnamese news writes them, and the year they belong to.

`DateReader.find(text)` finds day/month expressions ("sáng 6/1", "ngày 23 đến ngày 25/3",
"24 - 25.4", "26-27/1", "ngày 15/8/2023", "(9/2024)", "12/2025", "năm 1962") as
PartialDate values with their character spans; with the article's date it also reads
the days named relative to it ("hôm nay", "chiều qua"). A date with no year takes it
from the article's date when there is one (`with_year`); otherwise it stays a month-day.
The words are rules data (rows `date.*`).
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from kg.compiled import regex
from kg.nlp.lexicon import Lexicon


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int | None = None
    month: int | None = None
    day: int | None = None
    note: str | None = None  # how a year not written in the sentence was found

    @property
    def lexical(self) -> str:
        """ISO-style lexical form: 2025-04-24, --04-24, 2025-04 or 2025."""
        if self.year and self.month and self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month and self.day:
            return f"--{self.month:02d}-{self.day:02d}"
        if self.year and self.month:
            return f"{self.year:04d}-{self.month:02d}"
        if self.year:
            return f"{self.year:04d}"
        raise ValueError("an empty date")

    @property
    def xsd(self) -> str:
        """The XSD datatype's local name for this date's precision."""
        if self.year and self.month and self.day:
            return "date"
        if self.month and self.day:
            return "gMonthDay"
        if self.year and self.month:
            return "gYearMonth"
        return "gYear"

    def key(self) -> tuple:
        return (self.year or 0, self.month or 0, self.day or 0)

    def as_date(self) -> dt.date | None:
        """The calendar day, when year, month and day are all known."""
        if self.year and self.month and self.day:
            try:
                return dt.date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    first: PartialDate
    last: PartialDate | None = None  # the end of a range
    relative: bool = False  # 'hôm nay', 'chiều qua': read against the article's date


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
_Y = r"(?:19|20)\d\d"


def _valid(day: int | None, month: int | None) -> bool:
    """A real month-day (29/2 allowed: the year may be a leap year)."""
    if month is not None and not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= (_DAYS_IN_MONTH[month - 1] if month else 31)


class DateReader:
    """Finds dates in text; its patterns are built once from the rules data."""

    def __init__(self, lex: Lexicon):
        x = lex.expand
        part = "(?i:<<date.part_of_day>>)"
        rel = "(?i:<<date.relative_day>>)"
        day = "(?i:<<date.day_word>>)"
        frm = "(?i:<<date.from>>)"
        to = "(?i:<<date.to>>)"
        month_w = "<<date.month_word>>"
        year_w = "(?i:<<date.year_word>>)"
        lead = x(rf"(?:{part}(?: {rel})?(?: {day})? |(?:{day}|{frm}|{to}) )")
        self.range_two_months = regex(x(
            rf"(?:{frm} )?(?:{day} )?(?P<d1>[0-3]?\d)/(?P<m1>[01]?\d)(?:/(?P<y1>{_Y}))? ?(?:-|–|{to}) ?(?:{day} )?"
            rf"(?P<d2>[0-3]?\d)/(?P<m2>[01]?\d)(?:/(?P<y>{_Y}))?(?!\d)"))
        self.range_same_month = regex(x(
            rf"(?:(?:{frm}|(?i:<<date.range_intro>>)) )?(?:{day} )?(?P<d1>[0-3]?\d) ?(?:-|–|{to}|(?i:<<date.and>>)) ?(?:{day} )?"
            rf"(?P<d2>[0-3]?\d)[/.](?P<m>[01]?\d)(?:[/.](?P<y>{_Y}))?(?!\d|[.,]\d|%)"))
        # 'từ ngày 11 đến 15-10': a range whose second day is written day-month with a dash
        self.range_dash_month = regex(x(
            rf"(?:{frm} )?(?:{day} )?(?P<d1>[0-3]?\d) {to} (?:{day} )?(?P<d2>[0-3]?\d)-(?P<m>[01]?\d)"
            rf"(?:-(?P<y>{_Y}))?(?![\d/]|\.\d)"))
        self.single_slash = regex(x(rf"(?:{lead})?(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>{_Y}))?(?![\d/])"))
        # '6.1', '6-10' only after a word that announces a day: '6-10' alone may be a range
        self.single_dot = regex(x(rf"{lead}(?P<d>[0-3]?\d)[.\-](?P<m>[01]?\d)(?:[.\-](?P<y>{_Y}))?(?![\d/\-]|\.\d)"))
        self.range_words = regex(x(
            rf"(?:{frm} )?(?:{day} )?(?P<d1>[0-3]?\d) (?:-|–|{to}) (?:{day} )?(?P<d2>[0-3]?\d) {month_w} (?P<m>[01]?\d)"
            rf"(?: {year_w} (?P<y>{_Y}))?(?!\d)"))
        self.single_words = regex(x(
            rf"(?:{part} )?{day} (?P<d>[0-3]?\d) {month_w} (?P<m>[01]?\d)(?: {year_w} (?P<y>{_Y}))?(?!\d)"))
        self.month_year = regex(x(rf"(?<![\d/])(?:{month_w} )?(?P<m>[01]?\d)/(?P<y>{_Y})(?!\d)"))
        self.year = regex(x(rf"(?<!\d){year_w} (?P<y>{_Y})(?!\d)"))
        # Each pattern holds a mark no text without a date of its kind has: a day and a month
        # joined by '/', '.' or '-' ('6/1', '25.4', '6-12'), or the month word before a number
        # ('tháng 10'). Before that mark a match has at most four date words and two numbers
        # ('trong các ngày 24 - 25.4', 'từ ngày 11 đến ngày 15 tháng 10'), after it at most a
        # year ('/2025', ' năm 2025'): the patterns of each mark run only over the stretches of
        # text this close to one, a small part of an article.
        longest = max(len(p) for ident in ("date.part_of_day", "date.relative_day", "date.day_word", "date.from",
                                           "date.to", "date.month_word", "date.year_word", "date.range_intro",
                                           "date.and") for p in lex.phrases(ident))
        self.reach = 4 * (longest + 1) + 2 * 3
        self.day_month_mark = re.compile(r"\d[/.\-]\d")
        self.month_word_mark = regex(x(rf"{month_w} \d"))
        self.relative = [(regex(x(rf"(?<!\w)(?i:<<{ident}>>)(?!\w)")), int(lex.value(ident, "days")))
                         for ident in ("date.today", "date.yesterday", "date.tomorrow")]
        # lower-cased, to skip the three patterns in the many texts that name no such day
        self.relative_phrases = tuple(p.lower() for ident in ("date.today", "date.yesterday", "date.tomorrow")
                                      for p in lex.phrases(ident))

    def find(self, text: str, anchor: dt.date | None = None) -> list[DateMention]:
        """Date mentions in `text`, in order, none overlapping (ranges before single days).

        With `anchor` (the article's date), days named relative to it are found too."""
        found: list[DateMention] = []
        near_day_month = _windows(text, self.day_month_mark, self.reach)
        near_month_word = _windows(text, self.month_word_mark, self.reach)

        def scan(pattern: re.Pattern, windows: list[tuple[int, int]]) -> Iterator[re.Match]:
            for start, end in windows:
                yield from pattern.finditer(text, start, end)

        def free(s: int, e: int) -> bool:
            return all(e <= m.start or s >= m.end for m in found)

        def year(g: str | None) -> int | None:
            return int(g) if g else None

        for m in scan(self.range_two_months, near_day_month):
            d1, m1, d2, m2 = int(m["d1"]), int(m["m1"]), int(m["d2"]), int(m["m2"])
            if _valid(d1, m1) and _valid(d2, m2) and free(m.start(), m.end()):
                y2 = year(m["y"])
                # 'từ 30/12/2024 đến 2/1/2025'; '30/12 - 2/1/2025' starts the year before
                y1 = year(m["y1"]) or (y2 - 1 if y2 and (m1, d1) > (m2, d2) else y2)
                found.append(DateMention(m.start(), m.end(), PartialDate(y1, m1, d1), PartialDate(y2, m2, d2)))
        for pattern, windows in ((self.range_same_month, near_day_month), (self.range_words, near_month_word),
                               (self.range_dash_month, near_day_month)):
            for m in scan(pattern, windows):
                d1, d2, mo = int(m["d1"]), int(m["d2"]), int(m["m"])
                if _valid(d1, mo) and _valid(d2, mo) and d1 < d2 and free(m.start(), m.end()):
                    y = year(m["y"])
                    found.append(DateMention(m.start(), m.end(), PartialDate(y, mo, d1), PartialDate(y, mo, d2)))
        for m in scan(self.single_words, near_month_word):
            d, mo = int(m["d"]), int(m["m"])
            if _valid(d, mo) and free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), PartialDate(year(m["y"]), mo, d)))
        for pattern in (self.single_slash, self.single_dot):
            for m in scan(pattern, near_day_month):
                d, mo = int(m["d"]), int(m["m"])
                if m["y"] is None and pattern is self.single_slash and \
                        re.match(r"\d{4}", text[m.end("m") + 1:m.end("m") + 5] or ""):
                    continue
                if _valid(d, mo) and free(m.start(), m.end()):
                    found.append(DateMention(m.start(), m.end(), PartialDate(year(m["y"]), mo, d)))
        for m in scan(self.month_year, near_day_month):
            mo = int(m["m"])
            if _valid(None, mo) and free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), PartialDate(int(m["y"]), mo, None)))
        for m in self.year.finditer(text):  # a word and a year: quick over the whole text
            if free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), PartialDate(int(m["y"]), None, None)))
        lowered = text.lower() if anchor is not None else ""
        if anchor is not None and any(p in lowered for p in self.relative_phrases):
            for pattern, days in self.relative:
                for m in pattern.finditer(text):
                    # 'chiều qua 7.9': the day written out says it already
                    if free(m.start(), m.end()) and not any(0 <= d.start - m.end() <= 2 for d in found):
                        day = anchor + dt.timedelta(days=days)
                        found.append(DateMention(m.start(), m.end(), PartialDate(day.year, day.month, day.day,
                                                                                  note="relative to the article's date"),
                                                 relative=True))
        found.sort(key=lambda d: d.start)
        return found


def _windows(text: str, mark: re.Pattern, reach: int) -> list[tuple[int, int]]:
    """The stretches of `text` within `reach` characters of a `mark`, merged where they touch."""
    windows: list[list[int]] = []
    for m in mark.finditer(text):
        start, end = max(0, m.start() - reach), m.end() + reach
        if windows and start <= windows[-1][1]:
            windows[-1][1] = end
        else:
            windows.append([start, end])
    return [(start, min(end, len(text))) for start, end in windows]


def with_year(date: PartialDate, anchor: dt.date | None, note: str | None = None,
              anchor_year: int | None = None) -> PartialDate:
    """Give a month-day the year of the article: the one that puts it nearest the article's date."""
    if date.year is not None or date.month is None:
        return date
    if anchor is not None:
        best = None
        for y in (anchor.year - 1, anchor.year, anchor.year + 1):
            try:
                candidate = dt.date(y, date.month, date.day or 1)
            except ValueError:
                continue
            distance = abs((candidate - anchor).days)
            if best is None or distance < best[0]:
                best = (distance, y)
        if best is not None:
            return replace(date, year=best[1], note=note or "year from the article's date")
    if anchor_year is not None:
        return replace(date, year=anchor_year, note=note)
    return date
