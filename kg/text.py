"""Vietnamese orthography shared by every stage: letters, tone marks, folding, sentences.

The one home of these concepts: what a letter is, where a tone mark sits, how two
names compare (`fold`), and where sentences end (`sentence_spans`). No rules about
news live here, and nothing here rewrites an article's text after cleaning.
"""
from __future__ import annotations


import hashlib
import re
import unicodedata
from functools import lru_cache


def _letters(test) -> str:
    """Every Latin letter (Vietnamese ones included) passing `test`, as a regex class body."""
    codes = [*range(0x41, 0x250), *range(0x1E00, 0x1F00)]
    return "".join(chr(c) for c in codes if chr(c).isalpha() and test(chr(c)))


UPPER = _letters(str.isupper)
LOWER = _letters(str.islower)
UP = f"[{UPPER}]"
LO = f"[{LOWER}]"
LETTER = f"[{UPPER}{LOWER}]"
VOWELS = _letters(lambda c: c.islower() and unicodedata.normalize("NFD", c)[0] in "aeiouy")
CONSONANTS = _letters(lambda c: c.islower() and unicodedata.normalize("NFD", c)[0] not in "aeiouy")
# a word boundary that knows Vietnamese letters and digits
WB_BEFORE = rf"(?<![{UPPER}{LOWER}0-9_])"
WB_AFTER = rf"(?![{UPPER}{LOWER}0-9_])"
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"


# ---------------------------------------------------------------- tone marks

_TONE_MARKS = ("\u0300", "\u0301", "\u0309", "\u0303", "\u0323")
_NEW_TO_TRADITIONAL: dict[str, str] = {}
for _first, _second in (("o", "a"), ("o", "e"), ("u", "y")):
    for _f in (_first, _first.upper()):
        for _s in (_second, _second.upper()):
            for _mark in _TONE_MARKS:
                _new = _f + unicodedata.normalize("NFC", _s + _mark)
                _NEW_TO_TRADITIONAL[_new] = unicodedata.normalize("NFC", _f + _mark) + _s
# "hoà" -> "hòa", "thuỷ" -> "thủy", "khoẻ" -> "khỏe": only in open syllables, and never
# the "u" of "qu" ("quý" keeps its mark on the y).
# (one character class per first vowel, the 'qu' test after it: the scan skips every other letter fast)
_SECOND = {first: "".join(sorted({k[1] for k in _NEW_TO_TRADITIONAL if k[0] in first})) for first in ("oO", "uU")}
_NEW_STYLE = re.compile(rf"(?:[oO][{_SECOND['oO']}]|[uU][{_SECOND['uU']}])(?<![qQ]..)(?![{UPPER}{LOWER}])")


def traditional_tones(text: str) -> str:
    """Move tone marks to the traditional place: 'Hoà Bình' -> 'Hòa Bình'. Keeps the length of NFC text."""
    return _NEW_STYLE.sub(lambda m: _NEW_TO_TRADITIONAL[m.group(0)], text)


def normalize(text: str) -> str:
    """NFC, traditional tone marks, '_' read as a space, whitespace folded: the form names are compared in."""
    text = traditional_tones(unicodedata.normalize("NFC", str(text)))
    return " ".join(text.replace("_", " ").split())


# ---------------------------------------------------------------- syllables

_TONE_CODES = frozenset(_TONE_MARKS)
_ONSET = "(?:ngh|ng|gh|gi|kh|nh|ph|th|tr|ch|qu|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x)?"
_SYLLABLE_SHAPE = re.compile(rf"{_ONSET}(?:[aăâeêioôơuưy]{{1,3}})(?:ch|ng|nh|c|m|n|p|t)?")
_VIETNAMESE_MARKS = re.compile("[\u0300\u0301\u0303\u0309\u0323\u0306\u0302\u031b]|đ")


@lru_cache(maxsize=1 << 16)
def is_syllable(word: str) -> bool:
    """Whether `word` (lower case) is one Vietnamese syllable: onset, vowels, coda, at most one tone mark."""
    parts = unicodedata.normalize("NFD", word.lower())
    if sum(c in _TONE_CODES for c in parts) > 1:
        return False
    bare = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONE_CODES))
    return bool(_SYLLABLE_SHAPE.fullmatch(bare))


def split_syllables(word: str) -> list[str] | None:
    """The syllables of a lower-case word written without its spaces ('từkhi' -> ['từ', 'khi']),
    or None when it is one syllable, is not Vietnamese, or cannot be read as syllables."""
    found = _split_syllables(word)
    return list(found) if found else None


@lru_cache(maxsize=1 << 16)
def _split_syllables(word: str) -> tuple[str, ...] | None:
    if not word.islower() or is_syllable(word) or not _VIETNAMESE_MARKS.search(unicodedata.normalize("NFD", word)):
        return None
    n = len(word)
    best: list[list[str] | None] = [None] * (n + 1)
    best[0] = []
    for end in range(1, n + 1):
        for start in range(max(0, end - 7), end):
            if best[start] is not None and is_syllable(word[start:end]):
                candidate = best[start] + [word[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    found = best[n]
    return tuple(found) if found and len(found) >= 2 else None


# ---------------------------------------------------------------- comparing names

_FOLD_LETTERS = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})
_FOLD_WORDS = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lower case, no diacritics, '_' read as a space, spaces folded: 'Phạm_Minh Chính' -> 'pham minh chinh'."""
    text = unicodedata.normalize("NFD", str(text).replace("_", " ").translate(_FOLD_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(_FOLD_WORDS.findall(text))


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


@lru_cache(maxsize=8192)
def word_re(body: str, flags: int = 0) -> re.Pattern:
    """`body` (a regex) as a whole word or phrase, compiled once."""
    return re.compile(rf"{WB_BEFORE}(?:{body}){WB_AFTER}", flags)


def find_word(text: str, word: str) -> list[int]:
    """Start offsets of `word` in `text` where it stands as a whole word (faster than a regex per word)."""
    starts, pos, n = [], text.find(word), len(word)
    while pos >= 0:
        before = text[pos - 1] if pos else " "
        after = text[pos + n] if pos + n < len(text) else " "
        if not (before.isalnum() or before == "_") and not (after.isalnum() or after == "_"):
            starts.append(pos)
        pos = text.find(word, pos + 1)
    return starts


# ---------------------------------------------------------------- sentences

# Words after which a full stop does not end a sentence: titles, initials of honorifics,
# company suffixes and the abbreviations of Vietnamese administrative writing.
ABBREVIATIONS = frozenset({
    "TP", "Tp", "T.Ư", "TƯ", "TW", "Mr", "Mrs", "Ms", "Dr", "St", "PGS", "GS", "TS", "ThS", "ThS.BS", "BS",
    "Q", "P", "Th", "Co", "Ltd", "Inc", "No", "Vol", "tr", "TT", "CN", "Jr", "Sr", "Smt", "Shri", "Dt",
})

_SENT_END = re.compile(rf"([.!?…]+[”\"')\]]*)( +)(?=[{UPPER}0-9“\"'(])")


def ends_abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` closes an abbreviation or an initial ('TP.', 'George W.')."""
    word = text[:dot].rsplit(None, 1)[-1] if text[:dot].strip() else ""
    word = word.lstrip("(“\"'")
    return word in ABBREVIATIONS or bool(re.fullmatch(rf"{UP}(?:\.{UP})*", word))


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: a line break ends one, and so does a final stop followed by a capital."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        for m in _SENT_END.finditer(line):
            if m.group(1).startswith(".") and ends_abbreviation(line, m.start(1)):
                continue
            end = pos + m.end(1)
            if end > start:
                spans.append((start, end))
            start = pos + m.end()
        while start < pos + len(line) and text[start] == " ":
            start += 1
        if pos + len(line) > start:
            spans.append((start, pos + len(line)))
        pos += len(line) + 1
    return spans


def sentence_around(text: str, pos: int) -> tuple[int, int]:
    """The (start, end) of the sentence holding offset `pos`."""
    for start, end in sentence_spans(text):
        if start <= pos < end:
            return start, end
    return pos, pos


# ---------------------------------------------------------------- keys

_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ø": "o", "Ø": "o", "ł": "l", "Ł": "l",
                          "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """Lower-case ASCII words joined by '-': 'Lương Cường' -> 'luong-cuong'. Total: never empty.

    The key of an entity; kg.rdf.iri mints IRIs from such keys."""
    text = unicodedata.normalize("NFKD", str(text).translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    slug = _NON_SLUG.sub("-", text).strip("-")
    if not slug:
        # Names in scripts with no Latin transliteration still need a stable key.
        slug = "x" + hashlib.sha1(str(text).encode("utf-8")).hexdigest()[:12] if text.strip() else "x"
    return slug[:120].rstrip("-")
