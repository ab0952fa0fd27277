"""Dates as Vietnamese news writes them, and the year they belong to.

`find_dates(text)` finds day/month expressions ("sáng 6/1", "ngày 23 đến ngày 25/3",
"24 - 25.4", "26-27/1", "ngày 15/8/2023", "(9/2024)", "12/2025", "năm 1962") as
PartialDate values with their character spans. A date with no year takes it from the
article's date when there is one (`with_year`); otherwise it stays a month-day.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace


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


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    first: PartialDate
    last: PartialDate | None = None  # the end of a range


_DAY = r"(?P<{}>[0-3]?\d)"
_PARTS_OF_DAY = r"(?:(?:sáng|chiều|tối|trưa|đêm|rạng sáng|Sáng|Chiều|Tối|Trưa|Đêm)(?: ngày)? |(?:ngày|Ngày|hôm|từ|Từ|đến|tới) )"
_RANGE_SAME_MONTH = re.compile(
    r"(?:(?:từ|Từ|trong các ngày|trong hai ngày|các ngày) )?(?:ngày )?(?P<d1>[0-3]?\d) ?(?:-|–|đến|tới|và) ?(?:ngày )?"
    r"(?P<d2>[0-3]?\d)[/.](?P<m>[01]?\d)(?:[/.](?P<y>(?:19|20)\d\d))?(?!\d|[.,]\d|%)")
_RANGE_TWO_MONTHS = re.compile(
    r"(?:(?:từ|Từ) )?(?:ngày )?(?P<d1>[0-3]?\d)/(?P<m1>[01]?\d)(?:/(?P<y1>(?:19|20)\d\d))? ?(?:-|–|đến|tới) ?(?:ngày )?"
    r"(?P<d2>[0-3]?\d)/(?P<m2>[01]?\d)(?:/(?P<y>(?:19|20)\d\d))?(?!\d)")
_SINGLE_SLASH = re.compile(rf"(?:{_PARTS_OF_DAY})?(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>(?:19|20)\d\d))?(?![\d/])")
_SINGLE_DOT = re.compile(rf"{_PARTS_OF_DAY}(?P<d>[0-3]?\d)\.(?P<m>[01]?\d)(?:\.(?P<y>(?:19|20)\d\d))?(?![\d.])")
# the long form of formal texts: 'ngày 5 tháng 2 năm 2026', 'từ ngày 5 đến ngày 7 tháng 2'
_RANGE_WORDS = re.compile(
    r"(?:(?:từ|Từ) )?(?:ngày )?(?P<d1>[0-3]?\d) (?:-|–|đến|tới) (?:ngày )?(?P<d2>[0-3]?\d) tháng (?P<m>[01]?\d)"
    r"(?: năm (?P<y>(?:19|20)\d\d))?(?!\d)")
_SINGLE_WORDS = re.compile(
    r"(?:(?:sáng|chiều|tối|trưa|Sáng|Chiều|Tối|Trưa) )?(?:ngày|Ngày) (?P<d>[0-3]?\d) tháng (?P<m>[01]?\d)"
    r"(?: năm (?P<y>(?:19|20)\d\d))?(?!\d)")
_MONTH_YEAR = re.compile(r"(?<![\d/])(?:tháng )?(?P<m>[01]?\d)/(?P<y>(?:19|20)\d\d)(?!\d)")
_YEAR = re.compile(r"(?<!\d)(?:năm|Năm) (?P<y>(?:19|20)\d\d)(?!\d)")


_DAYS_IN_MONTH = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _valid(day: int | None, month: int | None) -> bool:
    """A real month-day (29/2 allowed: the year may be a leap year)."""
    if month is not None and not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= (_DAYS_IN_MONTH[month - 1] if month else 31)


def find_dates(text: str) -> list[DateMention]:
    """Date mentions in `text`, in order, none overlapping (ranges before single days)."""
    found: list[DateMention] = []

    def free(s: int, e: int) -> bool:
        return all(e <= m.start or s >= m.end for m in found)

    def year(g: str | None) -> int | None:
        return int(g) if g else None

    for m in _RANGE_TWO_MONTHS.finditer(text):
        d1, m1, d2, m2 = int(m["d1"]), int(m["m1"]), int(m["d2"]), int(m["m2"])
        if _valid(d1, m1) and _valid(d2, m2) and free(m.start(), m.end()):
            y2 = year(m["y"])
            # 'từ 30/12/2024 đến 2/1/2025'; '30/12 - 2/1/2025' starts the year before
            y1 = year(m["y1"]) or (y2 - 1 if y2 and (m1, d1) > (m2, d2) else y2)
            found.append(DateMention(m.start(), m.end(), PartialDate(y1, m1, d1), PartialDate(y2, m2, d2)))
    for m in _RANGE_SAME_MONTH.finditer(text):
        d1, d2, mo = int(m["d1"]), int(m["d2"]), int(m["m"])
        if _valid(d1, mo) and _valid(d2, mo) and d1 < d2 and free(m.start(), m.end()):
            y = year(m["y"])
            found.append(DateMention(m.start(), m.end(), PartialDate(y, mo, d1), PartialDate(y, mo, d2)))
    for m in _RANGE_WORDS.finditer(text):
        d1, d2, mo = int(m["d1"]), int(m["d2"]), int(m["m"])
        if _valid(d1, mo) and _valid(d2, mo) and d1 < d2 and free(m.start(), m.end()):
            y = year(m["y"])
            found.append(DateMention(m.start(), m.end(), PartialDate(y, mo, d1), PartialDate(y, mo, d2)))
    for m in _SINGLE_WORDS.finditer(text):
        d, mo = int(m["d"]), int(m["m"])
        if _valid(d, mo) and free(m.start(), m.end()):
            found.append(DateMention(m.start(), m.end(), PartialDate(year(m["y"]), mo, d)))
    for regex in (_SINGLE_SLASH, _SINGLE_DOT):
        for m in regex.finditer(text):
            d, mo = int(m["d"]), int(m["m"])
            if m["y"] is None and regex is _SINGLE_SLASH and re.match(r"\d{4}", text[m.end("m") + 1:m.end("m") + 5] or ""):
                continue
            if _valid(d, mo) and free(m.start(), m.end()):
                found.append(DateMention(m.start(), m.end(), PartialDate(year(m["y"]), mo, d)))
    for m in _MONTH_YEAR.finditer(text):
        mo = int(m["m"])
        if _valid(None, mo) and free(m.start(), m.end()):
            found.append(DateMention(m.start(), m.end(), PartialDate(int(m["y"]), mo, None)))
    for m in _YEAR.finditer(text):
        if free(m.start(), m.end()):
            found.append(DateMention(m.start(), m.end(), PartialDate(int(m["y"]), None, None)))
    found.sort(key=lambda d: d.start)
    return found


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
