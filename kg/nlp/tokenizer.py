"""underthesea's word segmentation as a spaCy tokenizer, with sentence boundaries.

The Doc it builds has exactly the article's text (`doc.text == text`), so every
token and span keeps its character offsets into the cleaned article. Tokens never
cross a protected boundary (the start or end of a gazetteer name), so entity spans
found on characters always align with tokens.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable

from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.text import UPPER

# Words after which a full stop does not end a sentence.
_ABBREVIATIONS = frozenset({"TP", "Tp", "T.Ư", "Mr", "Mrs", "Ms", "Dr", "St", "PGS", "GS", "TS", "ThS", "Jr", "Sr",
                            "No", "tr", "Q", "P"})
_SENT_END = re.compile(rf"([.!?…]+[”\"')\]]*)( +)(?=[{UPPER}0-9“\"'(])")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: lines are split at a final stop followed by a capital."""
    spans = []
    pos = 0
    for line in text.split("\n"):
        start = pos
        for m in _SENT_END.finditer(line):
            before = line[:m.start()].rsplit(" ", 1)[-1]
            if before in _ABBREVIATIONS or re.fullmatch(r"[A-ZĐ]", before):
                continue
            end = pos + m.end(1)
            if end > start:
                spans.append((start, end))
            start = pos + m.end()
        if pos + len(line) > start:
            spans.append((start, pos + len(line)))
        pos += len(line) + 1
    return spans


def _segment(sentence: str) -> list[str]:
    from underthesea import word_tokenize

    return word_tokenize(sentence)


class VietnameseTokenizer:
    """Callable text -> Doc, for `nlp.tokenizer`."""

    def __init__(self, vocab: Vocab, segment: Callable[[str], list[str]] = _segment):
        self.vocab = vocab
        self.segment = segment
        self.protected: Callable[[str], Iterable[int]] = lambda text: ()
        # False: sentences with no protected span (no entity named) are split at spaces only
        self.segment_all = True

    def __call__(self, text: str) -> Doc:
        cuts = sorted(set(self.protected(text)))
        offsets: list[tuple[int, int]] = []
        sent_starts: set[int] = set()
        for start, end in sentence_spans(text):
            sent_starts.add(start)
            if not self.segment_all and not _any_between(cuts, start, end):
                # nothing is named here, so no rule looks at this sentence: split it at spaces and
                # save the segmenter, the costliest step of a build
                offsets.extend((m.start(), m.end()) for m in _NON_SPACE.finditer(text, start, end))
                continue
            for s, e in self._align(text, start, end):
                offsets.extend(_split_at(text, s, e, cuts))
        words, spaces, starts = [], [], []
        cursor = 0
        for s, e in offsets:
            if s > cursor:
                gap = text[cursor:s]
                if gap == " " and words:
                    spaces[-1] = True
                else:
                    if words and gap.endswith(" ") and len(gap) > 1:
                        words.append(gap[:-1])
                        spaces.append(True)
                    elif not words and gap.endswith(" ") and len(gap) > 1:
                        words.append(gap[:-1])
                        spaces.append(True)
                    else:
                        words.append(gap)
                        spaces.append(False)
                    starts.append(False)
            words.append(text[s:e])
            spaces.append(False)
            starts.append(s in sent_starts)
            cursor = e
        if cursor < len(text):
            words.append(text[cursor:])
            spaces.append(False)
            starts.append(False)
        if starts:
            starts[0] = True
        return Doc(self.vocab, words=words, spaces=spaces, sent_starts=starts)

    def _align(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """Character spans of the segmenter's words inside text[start:end]."""
        out = []
        cursor = start
        chunk = text[start:end]
        words = self.segment(chunk) if chunk.strip() else []
        for word in words:
            parts = word.split()
            if not parts:
                continue
            pos = cursor
            while pos < end and text[pos].isspace():
                pos += 1
            s = pos
            ok = True
            for part in parts:
                while pos < end and text[pos] == " ":
                    pos += 1
                if text.startswith(part, pos):
                    pos += len(part)
                else:
                    ok = False
                    break
            if not ok:
                # the segmenter changed the text: fall back to the next whitespace-separated chunk
                m = re.compile(r"\S+").search(text, cursor, end)
                if not m:
                    break
                s, pos = m.start(), m.end()
            if pos > s:
                out.append((s, pos))
            cursor = pos
        # anything the segmenter dropped becomes plain tokens
        tail = [(m.start(), m.end()) for m in re.finditer(r"\S+", text[cursor:end])]
        out.extend((cursor + s, cursor + e) for s, e in tail)
        return out


_NON_SPACE = re.compile(r"\S+")


def _any_between(cuts: list[int], start: int, end: int) -> bool:
    i = bisect_left(cuts, start)
    return i < len(cuts) and cuts[i] < end


def _split_at(text: str, start: int, end: int, cuts: list[int]) -> list[tuple[int, int]]:
    """Split [start, end) at every protected cut strictly inside it, without edge spaces."""
    i = bisect_left(cuts, start + 1)
    bounds = [start]
    while i < len(cuts) and cuts[i] < end:
        bounds.append(cuts[i])
        i += 1
    bounds.append(end)
    out = []
    for a, b in zip(bounds, bounds[1:]):
        while a < b and text[a] == " ":
            a += 1
        while b > a and text[b - 1] == " ":
            b -= 1
        if b > a:
            out.append((a, b))
    return out
