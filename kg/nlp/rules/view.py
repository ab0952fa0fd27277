"""What the relation rules see of an analysed Doc: sentences with their entity mentions.

`ArticleView.of(doc, words)` reads `doc.sents`, `doc.ents` (label and `ent_id_`),
`doc.spans["positions"]` and `doc._.meta`; nothing else. It answers the questions several
rules ask (the article's two main countries, the year of a month-day, the dates of a
sentence, whether a phrase is a whole word of the segmenter) and computes each answer
once. It never changes the Doc.
"""
from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field, replace
from functools import cached_property

from spacy.tokens import Doc

from kg.nlp.dates import DateMention, DateReader, PartialDate, with_year
from kg.nlp.entities import KIND_OF_LABEL, EntityInfo, Mention, PostMention
from kg.nlp.lexicon import Lexicon
from kg.nlp.records import Ref
from kg.text import ABBREVIATIONS, UP, ends_abbreviation


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int  # offsets in the article's text
    end: int
    text: str
    mentions: tuple[Mention, ...]

    def persons(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "person"]

    def of_kind(self, *kinds: str) -> list[Mention]:
        return [m for m in self.mentions if m.kind in kinds]

    def rel(self, pos: int) -> int:
        """An article offset as an offset in this sentence's text."""
        return pos - self.start

    def between(self, a: int, b: int) -> str:
        """The sentence's text between two article offsets."""
        return self.text[a - self.start:b - self.start]

    def gap_after(self, mention: Mention, pos: int) -> str:
        """The text from the end of `mention` to article offset `pos`, without abbreviation dots
        ('Marcos Jr. đang thăm': the dot closes 'Jr', not the clause)."""
        gap = self.text[self.rel(mention.end):self.rel(pos)]
        if gap.startswith(".") and ends_abbreviation(self.text, self.rel(mention.end)):
            gap = gap[1:]
        return without_abbreviation_dots(gap)

    def clause_bounds(self, pos: int) -> tuple[int, int]:
        """The clause (between ';' marks) around article offset `pos`, as article offsets."""
        rel = pos - self.start
        left = self.text.rfind(";", 0, rel)
        right = self.text.find(";", rel)
        return (self.start + (left + 1 if left >= 0 else 0),
                self.start + (right if right >= 0 else len(self.text)))


_ABBREV_DOT = re.compile(rf"(?:(?<=\s)|^)({UP}|{'|'.join(re.escape(a) for a in sorted(ABBREVIATIONS, key=len, reverse=True))})\.")


def without_abbreviation_dots(text: str) -> str:
    """`text` with the full stops of abbreviations and initials removed ('Marcos Jr. đang thăm')."""
    return _ABBREV_DOT.sub(r"\1", text)


@dataclass(frozen=True)
class ArticleWords:
    """The words the view itself reads (years stated in the text), compiled once."""

    in_year: re.Pattern
    compared_last_year: re.Pattern
    stated_period: re.Pattern
    named_year: re.Pattern

    @classmethod
    def load(cls, lex: Lexicon) -> "ArticleWords":
        return cls(lex.pattern("year.in_year"), lex.pattern("year.last_year_compared"),
                   lex.pattern("year.stated_period"), lex.pattern("year.named"))


@dataclass
class ArticleView:
    """One analysed article as the rules read it."""

    doc: Doc
    text: str
    date: dt.date | None
    sentences: list[Sentence]
    entities: dict[tuple[str, str], EntityInfo]
    positions: list[PostMention]
    reader: DateReader
    words: ArticleWords
    home: str
    _dates: dict[int, list[DateMention]] = field(default_factory=dict)
    _token_edges: tuple[frozenset, frozenset] | None = None

    @classmethod
    def of(cls, doc: Doc, reader: DateReader, words: ArticleWords, home: str) -> "ArticleView":
        from kg.nlp.doc import entity_table, post_mentions, sentences as sentences_of, text_of

        text = text_of(doc)
        mentions = []
        for e in doc.ents:
            kind = KIND_OF_LABEL.get(e.label_)
            if kind is not None:
                surface = text[e.start_char:e.end_char]  # (`e.text` joins the tokens again)
                mentions.append(Mention(e.start_char, e.end_char, kind, e.ent_id_ or surface, surface))
        sentences = []
        i = 0
        for index, sent in enumerate(sentences_of(doc)):
            start, end = sent.start_char, sent.end_char
            while end > start and text[end - 1] in " \n":
                end -= 1
            while i < len(mentions) and mentions[i].start < start:
                i += 1
            j = i
            while j < len(mentions) and mentions[j].end <= end:
                j += 1
            sentences.append(Sentence(index, start, end, text[start:end], tuple(mentions[i:j])))
            i = j
        meta = doc._.meta
        return cls(doc, text, meta.date if meta else None, sentences, entity_table(doc), post_mentions(doc),
                   reader, words, home)

    # ------------------------------------------------------------------ entities

    def info(self, ref: Ref | Mention) -> EntityInfo | None:
        return self.entities.get((ref.kind, ref.key))

    def nationality(self, person_key: str) -> str | None:
        info = self.entities.get(("person", person_key))
        return info.nationality if info else None

    def country_of(self, mention: Mention) -> str | None:
        """The country a mention stands for or lies in (a place's, a body's)."""
        if mention.kind == "country":
            return mention.key
        info = self.info(mention)
        return info.country if info else None

    @cached_property
    def main_countries(self) -> list[str]:
        """The article's two countries: Vietnam and the partner it names most (or the top two)."""
        counts = Counter(m.key for s in self.sentences for m in s.mentions if m.kind == "country")
        for p in self.positions:  # 'Thủ tướng Phạm Minh Chính' names Vietnam without saying it
            if p.country:
                counts[p.country] += 1
        for (kind, key) in self.entities:
            if kind == "country" and key not in counts:
                counts[key] = 1
        ranked = [k for k, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]
        if self.home in ranked:
            others = [k for k in ranked if k != self.home]
            return [self.home] + others[:1]
        return ranked[:2]

    # ------------------------------------------------------------------ words

    def is_word(self, start: int, end: int) -> bool:
        """Whether [start, end) begins and ends on token edges: the segmenter read it as whole words."""
        if self._token_edges is None:
            from kg.nlp.doc import token_edges

            self._token_edges = token_edges(self.doc)
        return start in self._token_edges[0] and end in self._token_edges[1]

    # ------------------------------------------------------------------ dates

    def dates(self, sentence: Sentence) -> list[DateMention]:
        """The dates of a sentence (offsets in the sentence), years not yet filled in."""
        if not self._dates:  # read once over the whole text, then handed out by sentence
            starts = [s.start for s in self.sentences]
            by_sentence: dict[int, list[DateMention]] = {s.index: [] for s in self.sentences}
            for d in self.reader.find(self.text, self.date):
                i = bisect_right(starts, d.start) - 1
                if i >= 0 and d.end <= self.sentences[i].end:
                    shift = self.sentences[i].start
                    by_sentence[i].append(replace(d, start=d.start - shift, end=d.end - shift))
            self._dates.update(by_sentence)
        return self._dates.get(sentence.index, [])

    def day_dates(self, sentence: Sentence) -> list[DateMention]:
        return [d for d in self.dates(sentence) if d.first.day is not None]

    @cached_property
    def year_hint(self) -> tuple[int | None, str | None]:
        """A year for month-days when the article has no date: only from explicit evidence."""
        if self.date is not None:
            return self.date.year, "year from the article's date"
        stated = list(self.words.in_year.finditer(self.text))
        if stated and len({m.group(1) for m in stated}) == 1:
            return int(stated[0].group(1)), f"year from {stated[0].group(0)!r} in the article"
        compared = self.words.compared_last_year.search(self.text)
        if compared:  # 'năm ngoái ... so với năm 2013': last year is 2014, this year 2015
            return int(compared.group(1)) + 2, f"year from {compared.group(0)!r} in the article"
        return None, None

    def this_year_from_comparison(self, text: str) -> int | None:
        m = self.words.compared_last_year.search(text)
        return int(m.group(1)) + 2 if m else None

    @cached_property
    def stated_year(self) -> int | None:
        """The year an undated article states for its own period ('6 tháng đầu năm 2024' in the lede)."""
        m = self.words.stated_period.search(self.text)
        return int(next(g for g in m.groups() if g)) if m else None

    @cached_property
    def latest_stated(self) -> PartialDate | None:
        """The latest day or month an undated article states with its year: it was written after it."""
        latest = None
        for sentence in self.sentences:
            for d in self.dates(sentence):
                for value in (d.first, d.last):
                    if value is not None and value.year and value.month and (latest is None or value.key() > latest.key()):
                        latest = value
        return latest

    @cached_property
    def latest_year(self) -> int | None:
        """The latest year the article names ('năm 2020', 'APEC 2017'), targets and ranges left out."""
        years = [int(m.group(1)) for m in self.words.named_year.finditer(self.text)]
        return max(years) if years else None

    def dated(self, date: PartialDate) -> PartialDate:
        """`date` with the year the article gives it, when it has none."""
        year, note = self.year_hint
        return with_year(date, self.date, note=note if self.date is None else None,
                         anchor_year=year if self.date is None else None)
