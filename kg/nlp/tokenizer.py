"""The tokenizer: syllables everywhere, underthesea's words where a rule reads words.

A Vietnamese word may be one syllable or several ("hội đàm", "thăm dò"). The rules read
words only around their trigger phrases — to know that "thăm" in "thăm dò" or "tiếp" in
"tiếp tục" is not the verb they look for — so underthesea segments a few syllables around
each trigger (its model looks no further than that) and everything else is split into
syllables, numbers and punctuation. Capitalised syllables stay tokens of their own, so an
entity span, which starts and ends at a name's edge, always falls on token boundaries.

The Doc holds exactly the text (`doc.text == text`): every offset points into the article.
"""
from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from pathlib import Path

import spacy
from spacy.tokens import Doc
from spacy.vocab import Vocab

from kg.text import LETTER

log = logging.getLogger(__name__)

TEXT_KEY = "vnkg.text"  # doc.user_data: the text the Doc was made from

# a number with its separators ('6/1', '1.160', '17-19/08/2017', '3,5%'), a word with an inner
# apostrophe ("O'Neill"), or any other single character: a hyphen is a token of its own, since
# it may join two names ('Campuchia-Việt Nam')
_PIECE = re.compile(rf"\d+(?:[.,/:\-–]\d+)*%?|{LETTER}+(?:['’]{LETTER}+)*|\S")
_WINDOW = 4  # syllables of context on each side of a trigger: what underthesea's features look at


def _underthesea(text: str) -> list[str]:
    from underthesea import word_tokenize

    _load_model()
    return word_tokenize(text)


# the folder underthesea 9's word_tokenize reads its model from
_MODEL_FOLDER = ("models", "ws_crf_vlsp2013_20230727")


@functools.cache
def _load_model() -> None:
    """Load underthesea's segmentation model before its first use, the quick way.

    underthesea reads the model's feature list and dictionary with joblib, whose reader is
    written in Python; both files are plain pickles, which Python's own reader takes in a
    fifth of the time (a tenth of a one-article build). The model is the same one, made by
    underthesea's own classes; if anything differs from what is expected here (another
    version's files, other contents), underthesea is left to load it as it always does.
    """
    import importlib
    import pickle

    module = importlib.import_module("underthesea.pipeline.word_tokenize")
    if getattr(module, "word_tokenize_model", False) is not None:
        return  # loaded already, or a version that keeps its model elsewhere
    folder = Path(module.__file__).parent.joinpath(*_MODEL_FOLDER)
    try:
        from underthesea.models.fast_crf_sequence_tagger import FastCRFSequenceTagger
        from underthesea_core import CRFFeaturizer, CRFTagger

        with open(folder / "features.bin", "rb") as f:
            features = pickle.load(f)
        with open(folder / "dictionary.bin", "rb") as f:
            dictionary = pickle.load(f)
        if not (isinstance(features, list) and all(isinstance(x, str) for x in features)
                and isinstance(dictionary, set)):
            return  # (the featurizer itself refuses a dictionary of anything but text)
        tagger = FastCRFSequenceTagger(features, dictionary)
        tagger.estimator = CRFTagger()
        tagger.estimator.load(str(folder / "models.bin"))
        tagger.featurizer = CRFFeaturizer(features, dictionary)
    except Exception as exc:  # underthesea's own loading still works, only slower
        log.debug("underthesea's model left to underthesea to load: %s", exc)
        return
    module.word_tokenize_model = tagger


class VietnameseTokenizer:
    """Callable text -> Doc, for `nlp.tokenizer`.

    `triggers` finds the phrases around which words matter (None: segment nothing, every
    token a syllable); `segment` is the word segmenter (underthesea by default).
    """

    def __init__(self, vocab: Vocab, triggers: re.Pattern | None = None,
                 segment: Callable[[str], list[str]] = _underthesea):
        self.vocab = vocab
        self.triggers = triggers
        self.segment = segment

    def __call__(self, text: str) -> Doc:
        pieces = [m.span() for m in _PIECE.finditer(text)]
        if self.triggers is not None and pieces:
            pieces = self._words_around_triggers(text, pieces)
        return _doc(self.vocab, text, pieces)

    def _words_around_triggers(self, text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
        starts = [s for s, _ in pieces]
        windows: list[tuple[int, int]] = []  # piece index ranges, merged when they overlap
        for m in self.triggers.finditer(text):
            first = _index_at(starts, m.start())
            last = _index_at(starts, m.end() - 1)
            lo, hi = max(0, first - _WINDOW), min(len(pieces), last + _WINDOW + 1)
            if windows and lo <= windows[-1][1]:
                windows[-1] = (windows[-1][0], max(hi, windows[-1][1]))
            else:
                windows.append((lo, hi))
        if not windows:
            return pieces
        out: list[tuple[int, int]] = []
        done = 0
        for lo, hi in windows:
            out.extend(pieces[done:lo])
            out.extend(self._merge_words(text, pieces[lo:hi], previous=out[-1] if out else None))
            done = hi
        out.extend(pieces[done:])
        return out

    def _merge_words(self, text: str, pieces: list[tuple[int, int]], previous) -> list[tuple[int, int]]:
        """The pieces of one window, with the syllables of each segmenter word joined into one token."""
        start, end = pieces[0][0], pieces[-1][1]
        words = self.segment(text[start:end])
        out: list[tuple[int, int]] = []
        i = 0
        cursor = start
        for word in words:
            parts = word.split()
            if not parts:
                continue
            # the pieces this word covers, when it is a run of whole pieces as written
            j, pos, ok = i, cursor, True
            for part in parts:
                while j < len(pieces) and pieces[j][1] <= pos:
                    j += 1
                if j >= len(pieces) or not text.startswith(part, pieces[j][0]) or \
                        pieces[j][1] - pieces[j][0] != len(part):
                    ok = False
                    break
                pos = pieces[j][1]
                j += 1
            if not ok:
                break  # the segmenter rewrote the text: leave the rest as syllables
            covered = pieces[i:j]
            out.extend(_word_tokens(text, covered, out[-1] if out else previous))
            i, cursor = j, pos
        out.extend(pieces[i:])
        return out


def _word_tokens(text: str, covered: list[tuple[int, int]], previous) -> list[tuple[int, int]]:
    """The tokens of one segmenter word: its syllables joined into one token, except that a
    capitalised syllable continuing a name stays alone ('Kim hội đàm' after 'Ông' gives 'Kim',
    'hội đàm'), so a name's edge is never inside a token."""
    if len(covered) < 2 or not _one_space_apart(text, covered):
        return list(covered)
    head = 0
    continuing = previous is not None and text[previous[0]].isupper() and text[previous[1]:covered[0][0]] == " "
    while head < len(covered) and text[covered[head][0]].isupper() and (head > 0 or continuing):
        head += 1
    rest = covered[head:]
    if any(text[s].isupper() or not text[s].isalpha() for s, _ in rest[1:]) or not rest or \
            not text[rest[0][0]].isalpha():
        return list(covered)
    return list(covered[:head]) + ([(rest[0][0], rest[-1][1])] if len(rest) > 1 else list(rest))


def _one_space_apart(text: str, covered: list[tuple[int, int]]) -> bool:
    return all(text[e0:s1] == " " for (_, e0), (s1, _) in zip(covered, covered[1:]))


def _index_at(starts: list[int], pos: int) -> int:
    from bisect import bisect_right

    return max(0, bisect_right(starts, pos) - 1)


def _doc(vocab: Vocab, text: str, pieces: list[tuple[int, int]]) -> Doc:
    """A Doc whose tokens are `pieces`; other whitespace than one space becomes a token of its own."""
    words: list[str] = []
    spaces: list[bool] = []
    cursor = 0
    for s, e in pieces:
        if s > cursor:
            gap = text[cursor:s]
            if gap == " " and words:
                spaces[-1] = True
            else:
                if gap.endswith(" ") and len(gap) > 1:
                    words.append(gap[:-1])
                    spaces.append(True)
                else:
                    words.append(gap)
                    spaces.append(False)
        words.append(text[s:e])
        spaces.append(False)
        cursor = e
    if cursor < len(text):
        words.append(text[cursor:])
        spaces.append(False)
    doc = Doc(vocab, words=words, spaces=spaces)
    doc.user_data[TEXT_KEY] = text  # see kg.nlp.doc.text_of
    return doc


@spacy.registry.tokenizers("vnkg.tokenizer.v1")
def create_tokenizer(ontology: str | None = None, segment: bool = True) -> Callable:
    """The registered tokenizer factory: triggers from the rules folder of `ontology`."""
    from kg.nlp.lexicon import load_lexicon
    from kg.resources import ontology_dir

    folder = (Path(ontology) if ontology else ontology_dir()) / "rules"

    def make(nlp) -> VietnameseTokenizer:
        triggers = load_lexicon(folder).pattern("tokenizer.triggers") if segment else None
        return VietnameseTokenizer(nlp.vocab, triggers)

    return make
