"""Character classes and folding for Vietnamese text, shared by every stage.

Only orthography lives here (what a letter is, how to compare names); no rules about news.
"""
from __future__ import annotations

import re
import unicodedata


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
