"""Cleaning: page furniture out, Vietnamese text normalised, once.

`clean(article)` returns the article with its cleaned text, title and author, and
with every removed piece recorded as a DroppedSpan (so nothing disappears
unexplained). Every later character offset points into the cleaned text, so no
stage after this one rewrites text. Cleaning is idempotent: cleaning a cleaned
text changes nothing.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from kg.article import Article, DroppedSpan
from kg.text import ABBREVIATIONS, CONSONANTS, LETTER, LO, LOWER, UP, UPPER, VOWELS, split_syllables, traditional_tones


_UP, _LO, _LETTER = UP, LO, LETTER

_CREDIT_WORDS = r"(?:Ảnh(?: minh họa)?|Nguồn ảnh|Nguồn|Photo|Video|Clip|Đồ họa)"


@dataclass(frozen=True)
class CleanText:
    text: str
    title: str | None
    author: str | None
    dropped: tuple[DroppedSpan, ...]
    date: dt.date | None = None  # the publication date a dateline states


def clean(article: Article) -> Article:
    """The article with cleaned text, title, author and the dropped spans added."""
    if article.cleaned:
        return article
    title, author, publisher = (_clean_field(v) for v in (article.title, article.author, article.publisher))
    result = clean_text(article.text, title=title)
    return dataclasses.replace(
        article,
        text=result.text,
        title=title or result.title,
        date=article.date or result.date,
        author=author or result.author,
        publisher=publisher,
        dropped=tuple(article.dropped) + result.dropped,
        cleaned=True,
    )


def _clean_field(value: str | None) -> str | None:
    """A metadata field (title, author, publisher) without invisible characters; None when nothing is left."""
    if value is None:
        return None
    return " ".join(remove_invisible(value).split()) or None


def clean_text(text: str, *, title: str | None = None) -> CleanText:
    """Clean one article's text; `title`, when known from metadata, helps spot repeated headlines.

    One pass can uncover more furniture (a caption cut leaving '...', a second byline line
    above the first); passes repeat until nothing changes, so the result is a fixed point."""
    result = _clean_once(text, title)
    if result.text == text:  # nothing to clean: the text is a fixed point already
        return result
    for _ in range(4):
        again = _clean_once(result.text, result.title)
        if again.text == result.text:
            break
        result = CleanText(text=again.text, title=result.title or again.title,
                           author=" ".join(a for a in (again.author, result.author) if a) or None,
                           dropped=result.dropped + again.dropped, date=result.date or again.date)
    return result


def _clean_once(text: str, title: str | None) -> CleanText:
    dropped: list[DroppedSpan] = []
    text = normalize_unicode(text)
    if is_word_segmented(text):
        text = _cut_inline_credits_segmented(text, dropped)
        text = unsegment(text)
    text = "\n".join(_drop_menus(text.split("\n"), dropped))
    text = fix_spacing(text)
    text = split_glued(text)
    lines = _join_wrapped([_fold_spaces(line) for line in text.split("\n")])
    lines = [line for line in lines if line]
    lines, date = _take_datelines(lines, dropped)
    lines = _drop_placeholders(lines, dropped)
    lines = _drop_notices(lines, dropped)
    lines = _drop_headline_bars(lines, dropped)
    found_title = title or _title_of(lines)
    lines = _drop_repeated_headlines(lines, found_title, dropped)
    lines = _drop_teasers(lines, dropped)
    lines = _drop_captions(lines, dropped)
    lines = _drop_datelines(lines, dropped)
    lines, author = _take_byline(lines, dropped)
    lines = _drop_notes(lines, dropped)
    body = "\n".join(lines)
    return CleanText(text=body, title=found_title, author=author, dropped=tuple(dropped), date=date)


# ---------------------------------------------------------------- characters

# Characters that are not text: C0 and C1 controls but tab and line breaks, DEL, the Unicode
# format characters (zero-width spaces and joiners, soft hyphen, byte-order mark, bidirectional
# marks and embeddings, invisible operators, tags), noncharacters and lone surrogates. Inside a
# name they split it ('Thong\x7floun'); in a literal they make XML output ill-formed.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2"
    "\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\ufdd0-\ufdef"
    "\ufffe\uffff\ud800-\udfff\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


def remove_invisible(text: str) -> str:
    """`text` without control, format and other invisible characters (tab, line breaks and NEL kept)."""
    return _INVISIBLE.sub("", text)


_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t\v\f]")


def normalize_unicode(text: str) -> str:
    """NFC, one tone-mark convention, one kind of space and line break, no invisible characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n") \
        .replace("\x85", "\n")
    # 'Ðại sứ': the Icelandic eth typed for the Vietnamese đ
    text = text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")
    return traditional_tones(unicodedata.normalize("NFC", _SPACES.sub(" ", remove_invisible(text))))


# ---------------------------------------------------------------- word segmentation

_SEGMENTED_JOIN = re.compile(rf"(?<={_LETTER})_(?={_LETTER})")


def is_word_segmented(text: str) -> bool:
    """True for text written as a word segmenter outputs it: 'Thủ_tướng Phạm_Minh_Chính'."""
    joins = len(_SEGMENTED_JOIN.findall(text))
    words = max(1, len(text.split()))
    return joins >= 3 and joins / words > 0.03


def unsegment(text: str) -> str:
    """'Thủ_tướng' -> 'Thủ tướng'; the segmenter's spaces around punctuation are fixed later."""
    return _SEGMENTED_JOIN.sub(" ", text)


# In segmented scraped text, a photo credit runs into the next paragraph through a '_'
# that stood for a line break: 'Ảnh : Giang_Huy_Hai Thủ_tướng' is credit 'Giang Huy',
# then 'Hai Thủ tướng ...'. The credit ends at the last '_' before a capitalised syllable.
_CAP_RUN = re.compile(rf"{_UP}[^\W_]*(?:[ _]{_UP}[^\W_]*)*")
# Matches start at '(' or where a run of spaces starts, never inside one: linear time on any input.
_CREDIT_OPEN = r"(?:\(|(?<![\s(]))\s*+"
_SEG_CREDIT = re.compile(rf"{_CREDIT_OPEN}{_CREDIT_WORDS}\s*:\s*")


def _cut_inline_credits_segmented(text: str, dropped: list[DroppedSpan]) -> str:
    out, pos = [], 0
    for m in _SEG_CREDIT.finditer(text):
        if m.start() < pos:
            continue
        run = _CAP_RUN.match(text, m.end())
        if not run:
            continue
        cut = run.group(0).rfind("_")
        if cut <= 0:
            continue
        credit_end = run.start() + cut
        start = _caption_start(text, m.start())
        out.append(text[pos:start])
        dropped.append(DroppedSpan("caption", unsegment(text[start:credit_end]).strip()))
        out.append("\n")
        pos = credit_end + 1
    out.append(text[pos:])
    return "".join(out)


def _caption_start(text: str, credit_start: int) -> int:
    """Where the caption sentence before a credit starts (a short sentence only)."""
    before = text[:credit_start].rstrip()
    if before.endswith("."):
        before = before[:-1]
    best = max(before.rfind(". "), before.rfind("\n"), before.rfind("! "), before.rfind("? "))
    start = best + 2 if best >= 0 and text[best] != "\n" else best + 1
    if credit_start - start > 250:  # too long for a caption: drop the credit only
        return credit_start
    return max(start, 0)


# ---------------------------------------------------------------- spacing and glue

_SPACE_BEFORE = re.compile(r"(?<![ ])[ ]++([,.;:!?)\]%”»…])")  # from the start of a run of spaces only
_SPACE_AFTER = re.compile(r"([(\[“«])[ ]+")
_MULTI_SPACE = re.compile(r"[ ]{2,}")
# 'LàoChủ tịch', 'kinh tếViệt Nam': a lower-case letter glued to a capitalised word.
_CAMEL = re.compile(rf"({_LO})({_UP}{_LO})")
# 'năm.Chủ tịch', 'ASEAN.Sau hội đàm': a sentence end glued to the next sentence.
# The run before the stop is matched from its first character only and never backtracked into
# (a lookbehind and a possessive quantifier), so a long run of letters costs linear time.
_GLUED_RUN = rf"[{UPPER}{LOWER})%”\d]"
_GLUED_STOP = re.compile(rf"((?<!{_GLUED_RUN}){_GLUED_RUN}{{2,}}+)([.!?])({_UP}(?:{_LO}|{_UP}{_LO}))")


def fix_spacing(text: str) -> str:
    """No space before closing punctuation or after opening brackets; single spaces."""
    # (the patterns match spaces only, never a line break: one pass over the text does every line)
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    # a decimal point or comma the segmenter spaced out: '1 , 5' is never written that way
    text = _MULTI_SPACE.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n"))


_ASCII_SENTENCE_STARTS = frozenset({"Theo", "Hai", "Sau", "Trong", "Khi", "Cho", "Ba", "Tin", "Chia", "Nhan"})


_WORD_START = re.compile(r"[^\W\d_]{1,6}")


def split_glued(text: str) -> str:
    """Break words glued across a line or sentence boundary by careless scraping."""
    word = [0, -1, True]  # start, end and whether ASCII, of the word the last match was in: one scan per word
    first_break = text.find("\n")

    def camel(m: re.Match) -> str:
        string = m.string
        if not word[0] <= m.start() < word[1]:
            floor = max(0, m.start() - 100)  # no word is longer: the search back stays short on any input
            start = max(string.rfind(" ", floor, m.start()), string.rfind("\n", floor, m.start()), floor - 1) + 1
            end = m.end()
            while end < len(string) and string[end].isalpha():
                end += 1
            word[:] = [start, end, string[start:end].isascii()]
        # 'VinFuture', 'TikTok', 'iPhone' are brand names; Vietnamese syllables carry diacritics,
        # except a few that open sentences ('CubaTheo thông cáo', 'SingaporeHai nước')
        right = _WORD_START.match(string, m.start(2)).group(0)  # six letters are more than any of those words
        if word[2] and right not in _ASCII_SENTENCE_STARTS:
            return m.group(0)
        # a headline glued to the body ends the first line; elsewhere it is a lost space:
        # 'thăm làm việc tạiCampuchia', 'Chủ tịch nước Trương TấnSang'
        first_line = first_break < 0 or m.start() < first_break
        left_word = string[word[0]:m.start(2)]
        return m.group(1) + ("\n" if first_line and left_word[:1].isupper() else " ") + m.group(2)

    def stop(m: re.Match) -> str:
        word = m.group(1).rsplit(" ", 1)[-1]
        if word in ABBREVIATIONS or re.fullmatch(r"[A-ZĐ](?:\.[A-ZĐƯ])*", word):
            return m.group(0)
        return f"{m.group(1)}{m.group(2)} {m.group(3)}"

    text = _CAMEL.sub(camel, text)
    text = _GLUED_STOP.sub(stop, text)
    text = _LOWER_RUN.sub(_spaced_syllables, text)
    return _WORD_DIGITS.sub(r"\1 \2", text)


# 'kể từkhi', 'bền vữnglâu dài': syllables written without their space
# (two runs of vowels: one syllable has one, so most words are not looked at again)
_LOWER_RUN = re.compile(rf"(?<!{_LETTER})(?=[{CONSONANTS}]*[{VOWELS}]+[{CONSONANTS}]+[{VOWELS}]){_LO}{{4,}}(?!{_LETTER})")
# 'năm2012': a Vietnamese word glued to a number
_WORD_DIGITS = re.compile(rf"(?<!{_LETTER})(năm|tháng|ngày|quý)(\d)")


def _spaced_syllables(m: re.Match) -> str:
    if len(m.group(0)) > 30:  # no few syllables are that long
        return m.group(0)
    parts = split_syllables(m.group(0))
    return " ".join(parts) if parts else m.group(0)


def _fold_spaces(line: str) -> str:
    return _MULTI_SPACE.sub(" ", line).strip()


# ---------------------------------------------------------------- line furniture

_PLACEHOLDER = re.compile(r"(.)\1{1,7}|[\W_]{1,8}|[a-z]{1,2}")


def _drop_placeholders(lines: list[str], dropped: list[DroppedSpan]) -> list[str]:
    """Lines such as 'hhh', '***' or '---' hold no text."""
    kept = []
    for line in lines:
        if len(line) <= 8 and _PLACEHOLDER.fullmatch(line):
            dropped.append(DroppedSpan("placeholder", line))
        else:
            kept.append(line)
    return kept


# a site's notice to the reader, closed by its button: '... nếu mạng chậm. Đóng', '... cookies. ×'
_NOTICE = re.compile(r"[.!?]\s*(?:Đóng|Tắt|Bỏ qua|Close|OK|×|✕)\s*$")


def _drop_notices(lines: list[str], dropped: list[DroppedSpan]) -> list[str]:
    """A line that ends with a button after its sentence is the site talking to the reader."""
    kept = []
    for line in lines:
        if _NOTICE.search(line) and len(line) < 300:
            dropped.append(DroppedSpan("notice", line))
        else:
            kept.append(line)
    return kept


_SEE_ALSO = re.compile(r"(?i)^(xem thêm|tin liên quan|bài liên quan|đọc thêm|tin cùng chuyên mục|tin khác|"
                       r"có thể bạn quan tâm|video đang được quan tâm)\s*:?\s*$")


def _doubled(line: str) -> str | None:
    """The headline of a teaser line that repeats it ('A A' or 'AA'), else None."""
    n = len(line)
    for sep in (" ", ""):
        half = (n - len(sep)) // 2
        if half >= 12 and (n - len(sep)) % 2 == 0 and line[:half] == line[half + len(sep):] \
                and line[half:half + len(sep)] == sep:
            return line[:half]
    return None


def _is_teaser_head(lines: list[str], i: int) -> bool:
    line = lines[i]
    if _doubled(line):
        return True
    return i + 1 < len(lines) and lines[i + 1] == line and len(line) >= 12


def _drop_teasers(lines: list[str], dropped: list[DroppedSpan]) -> list[str]:
    """Cut the related-article block at the end of a scraped page.

    It starts at a 'Xem thêm' / 'Tin liên quan' line, or at the first of two or more
    teaser headlines (shown twice by the page, as link and heading) after the lede.
    """
    heads = [i for i in range(1, len(lines)) if _is_teaser_head(lines, i)]
    cut = None
    for i, line in enumerate(lines):
        if i > 0 and _SEE_ALSO.match(line):
            cut = i
            break
    later_heads = [i for i in heads if i >= 2]
    if len(later_heads) >= 2:
        # the block begins at the first teaser after which teasers keep coming
        first = later_heads[0]
        cut = first if cut is None else min(cut, first)
    if cut is None:
        return lines
    for line in lines[cut:]:
        dropped.append(DroppedSpan("see-also" if _SEE_ALSO.match(line) else "teaser", line))
    return lines[:cut]


def _title_of(lines: list[str]) -> str | None:
    """The first line, when it reads as a headline (short, no final full stop, more follows)."""
    if len(lines) < 2:
        return None
    first = lines[0]
    if len(first) <= 250 and not first.endswith((".", ":", ";")) and len(first.split()) >= 3:
        return first
    return None


def _drop_repeated_headlines(lines: list[str], title: str | None, dropped: list[DroppedSpan]) -> list[str]:
    """The page's headline shown again (often twice, glued) below the title."""
    kept = []
    for i, line in enumerate(lines):
        repeated = i > 0 and title is not None and title in (line, _doubled(line))
        if repeated:
            dropped.append(DroppedSpan("repeated-headline", line))
        else:
            kept.append(line)
    return kept


_CREDIT_TAIL = re.compile(rf"{_CREDIT_OPEN}{_CREDIT_WORDS}\s*:\s*[^.!?]{{1,80}}\)?\.?\s*$")
_CREDIT_INLINE = re.compile(rf"\(?\s*{_CREDIT_WORDS}\s*:\s*[^.!?()]{{1,60}}?\)?(?=\s+{_UP}{_LO}|$)")


def _drop_captions(lines: list[str], dropped: list[DroppedSpan]) -> list[str]:
    """Photo captions: a line that ends with a credit ('... Ảnh: TTXVN', '(Ảnh: Báo Nhân dân)')."""
    kept = []
    for line in lines:
        m = _CREDIT_TAIL.search(line) if ":" in line else None  # every credit has its colon
        if m:
            start = _caption_start(line, m.start())
            if start == 0:
                dropped.append(DroppedSpan("caption", line))
                continue
            dropped.append(DroppedSpan("caption", line[start:]))
            line = line[:start].rstrip()
            if not line:
                continue
        kept.append(line)
    return kept


# 'HÀ NỘI (TTXVN) -', '(Chinhphu.vn) -', 'TTO -', 'Từ Tokyo, phóng viên TTXVN cho biết,': the outlet
# speaking, not the article's content
_DATELINE = re.compile(
    rf"^(?:(?:{_UP}[{UPPER} .]{{1,30}} )?\([^()]{{2,30}}\) ?[-–—] ?|(?:TTO|TPO|PLO|NLĐO|VOV|VTC|VNA|ANTĐ|GDVN|VOV\\.VN|VnExpress|Dân trí|Zing) [-–—] "
    rf"|(?:Từ {_UP}[^,]{{1,30}}, )?phóng viên (?:TTXVN|VOV|VTV|Báo [^ ]+|thường trú)[^,]{{0,40}} (?:cho biết|đưa tin|"
    rf"thông tin), )")


def _drop_datelines(lines: list[str], dropped: list[DroppedSpan]) -> list[str]:
    out = []
    for i, line in enumerate(lines):
        m = _DATELINE.match(line) if i <= 2 else None
        if m and len(line) > m.end() + 10:
            dropped.append(DroppedSpan("dateline", m.group(0).strip()))
            rest = line[m.end():]
            line = rest[0].upper() + rest[1:]
        out.append(line)
    return out


_NAME_SYLLABLE = rf"{_UP}{_LO}*"
_BYLINE = re.compile(
    rf"(?:(?<=[.!?”\"…)])|^)\s*(?P<byline>(?:Theo\s+)?{_NAME_SYLLABLE}(?:\s{_NAME_SYLLABLE}){{1,3}}"
    rf"(?:\s*\((?:từ\s+)?[^()]{{2,30}}\)|\s*/\s*{_UP}[^/.!?\n]{{1,40}})?"
    rf"|Theo\s+[A-ZĐ][\w.&-]+(?:\s[A-ZĐ][\w.&-]+){{0,3}})\s*$"
)


def _take_byline(lines: list[str], dropped: list[DroppedSpan]) -> tuple[list[str], str | None]:
    """Trailing bylines ('Việt Anh', 'Theo TTXVN', '(Theo TTXVN)', 'Hoàng Nam (từ Tokyo)') are the author, not text.

    Several may stand on their own lines ('Minh Anh' then 'Theo TTXVN'); the author is the
    person when one is named, else the source."""
    names: list[str] = []
    while lines and (len(lines) >= 2 or re.search(r"[.!?]", lines[0])):
        last = lines[-1]
        m = _BYLINE.search(last.strip("()")) if _PAREN_SOURCE.fullmatch(last) else _BYLINE.search(last)
        if not m:
            break
        byline = m.group("byline").strip()
        if len(re.sub(r"/.*$", "", byline).split()) > 6:  # the outlet after a slash may be long
            break
        dropped.append(DroppedSpan("byline", last.strip() if _PAREN_SOURCE.fullmatch(last) else byline))
        rest = "" if _PAREN_SOURCE.fullmatch(last) else last[: m.start("byline")].rstrip()
        lines = lines[:-1] + ([rest] if rest else [])
        names.append(re.sub(r"\s*(?:\(.*\)|/.*)$", "", byline).strip())  # 'Hà Văn/ Báo Chính phủ': the name
        if rest:
            break  # a byline glued to the last sentence is the last of them
    if not names:
        return lines, None
    people = [n for n in names if not n.startswith("Theo ")]
    author = people[-1] if people else re.sub(r"^Theo\s+", "", names[0])
    return lines, author or None


_PAREN_SOURCE = re.compile(r"\((?:Theo|Nguồn:?) [^()]{2,40}\)")


# ---------------------------------------------------------------- page structure

# a site's menu bar: several short items set apart by runs of spaces ('Trang chủ     Đăng ký nhận tin')
_MENU_GAP = re.compile(r"\s{3,}|\t+")


def _drop_menus(lines: list[str], dropped: list[DroppedSpan]) -> list[str]:
    kept = []
    for line in lines:
        items = [i for i in _MENU_GAP.split(line.strip()) if i]
        if len(items) >= 3 and all(len(i.split()) <= 4 and not re.search(r"[.,;!?]", i) for i in items):
            dropped.append(DroppedSpan("menu", " | ".join(items)))
            continue
        kept.append(line)
    return kept


_OPEN_END = re.compile(rf"(?:{_LETTER}|,)$")


def _join_wrapped(lines: list[str]) -> list[str]:
    """Lines a page wrapped by hand joined again: a line that stops mid-sentence (on a comma, or
    on a word with the next line going on in lower case) continues on the next one."""
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if previous and line and len(out) > 1 and _OPEN_END.search(previous) and \
                (previous.endswith(",") or line[0].islower()):
            out[-1] = f"{previous} {line}"
        else:
            out.append(line)
    return out


# a dateline: an optional desk or place, a weekday, the day and a time ('Thứ hai, ngày 23/05/2016 09:17 GMT+7',
# '07/09/2010 23:49 GMT+7', '• Thứ hai, 1/9/2025 15:35 (GMT+7)', 'Hà Nội, ngày 27/4/2025')
_WEEKDAY = r"(?:Thứ (?:hai|ba|tư|năm|sáu|bảy|Hai|Ba|Tư|Năm|Sáu|Bảy)|Thư tư|Chủ nhật|Chủ Nhật|CN|T[2-7])"
_DAY = r"(?P<d>[0-3]?\d)[/.-](?P<m>[01]?\d)[/.-](?P<y>(?:19|20)\d\d)"
_LONG_DAY = r"(?P<ld>[0-3]?\d) tháng (?P<lm>[01]?\d) năm (?P<ly>(?:19|20)\d\d)"
_TIME = r"(?P<time>[0-2]?\d[:h][0-5]\d)"
_DATELINE_LINE = re.compile(
    rf"^[•·\-–\s]*(?P<early>[0-2]?\d[:h][0-5]\d,?\s*)?(?:(?P<desk>[^,\d]{{2,40}}?)\s*[-–,]\s*)?(?:{_WEEKDAY},?\s*)?"
    rf"(?:ngày\s+)?(?:{_DAY}|{_LONG_DAY})"
    rf"(?:\s*[-–,|]?\s*{_TIME})?(?:\s*\(?GMT\s*\+\s*7\)?)?(?P<rest>.*)$")
_AGO = re.compile(r"^[•·\s]*\d+ (?:phút|giờ|ngày) trước$")


def _take_datelines(lines: list[str], dropped: list[DroppedSpan]) -> tuple[list[str], dt.date | None]:
    """Datelines near the top are page furniture; one with a time, or after a place, dates the article.

    A weekday and a date with no time ('Thứ tư, ngày 25 tháng 12 năm 2024') is the site's banner
    of the day the page was read, not the article's date."""
    kept, date = [], None
    for i, line in enumerate(lines):
        m = _DATELINE_LINE.match(line) if i < 6 else None
        if m and len(m.group("rest").split()) <= 3:
            found = _dateline_date(m)
            place = m.group("desk") and not re.fullmatch(_WEEKDAY, m.group("desk").strip()) and not m.group("rest")
            if date is None and found is not None and (m.group("time") or m.group("early") or place):
                date = found
            dropped.append(DroppedSpan("dateline", line))
            continue
        if i < 6 and _AGO.match(line):
            dropped.append(DroppedSpan("dateline", line))
            continue
        kept.append(line)
    return kept, date


def _dateline_date(m: re.Match) -> dt.date | None:
    d, mo, y = (m.group("d"), m.group("m"), m.group("y")) if m.group("d") else (m.group("ld"), m.group("lm"), m.group("ly"))
    try:
        return dt.date(int(y), int(mo), int(d))
    except ValueError:
        return None


# a bar of related headlines at the top: 'A tái đắc cử / B chúc mừng C'
_BAR_SEP = re.compile(r"\s+[/|]\s+")


def _drop_headline_bars(lines: list[str], dropped: list[DroppedSpan]) -> list[str]:
    kept = []
    for line in lines:
        parts = _BAR_SEP.split(line)
        if len(parts) >= 2 and all(len(p.split()) >= 3 for p in parts) and not line.endswith((".", ":", ";")):
            dropped.append(DroppedSpan("teaser", line))
            continue
        kept.append(line)
    return kept


def _drop_notes(lines: list[str], dropped: list[DroppedSpan]) -> list[str]:
    """An editor's note in brackets closing the page ('(Znews đặt lại tiêu đề bài viết)')."""
    while len(lines) > 1 and re.fullmatch(r"\([^()]{3,120}\)", lines[-1]):
        dropped.append(DroppedSpan("note", lines[-1]))
        lines = lines[:-1]
    return lines
