"""Character classes and folding for Vietnamese text, shared by every stage.

Only orthography lives here (what a letter is, how to compare names); no rules about news.
"""
from __future__ import annotations

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
# a word boundary that knows Vietnamese letters and digits
WB_BEFORE = rf"(?<![{UPPER}{LOWER}0-9_])"
WB_AFTER = rf"(?![{UPPER}{LOWER}0-9_])"

_FOLD_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def fold(text: str) -> str:
    """Lower case, no diacritics, '_' read as a space, spaces folded: 'Phạm_Minh Chính' -> 'pham minh chinh'."""
    text = unicodedata.normalize("NFD", str(text).replace("_", " ").translate(_FOLD_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.findall(r"[a-z0-9]+", text))


def is_capitalised(word: str) -> bool:
    return bool(word) and word[0].isupper()


@lru_cache(maxsize=8192)
def word_re(body: str, flags: int = 0) -> re.Pattern:
    """`body` (a regex) as a whole word or phrase, compiled once: rules call this in loops."""
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
