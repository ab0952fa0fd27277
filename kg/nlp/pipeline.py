"""The spaCy pipeline: underthesea tokenizer -> entities -> relations, in that order.

`make_nlp()` is the one place the order is written. `analyse(nlp, article)` runs it
on a cleaned Article and returns the Doc, whose extensions carry what the RDF stage
needs: `doc._.entities`, `doc._.positions`, `doc._.relations`, `doc._.meta`.
"""
from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.article import Article
from kg.nlp.facts import Context, Fact, Lexicon, Sentence, extract_facts
from kg.nlp.recognizer import Recognition, Recognizer, load_recognizer
from kg.nlp.tokenizer import VietnameseTokenizer

log = logging.getLogger(__name__)

LABELS = {"person": "PER", "country": "GPE", "organization": "ORG", "location": "LOC"}

for _name, _default in (("meta", None), ("entities", None), ("positions", None), ("relations", None),
                        ("mentions", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Span.has_extension("key"):
    Span.set_extension("key", default=None)


class _RecognitionCache:
    """The recognizer's result for the text being processed, shared by tokenizer and entity component."""

    def __init__(self, recognizer: Recognizer):
        self.recognizer = recognizer
        self._text: str | None = None
        self._result: Recognition | None = None

    def get(self, text: str) -> Recognition:
        if text != self._text:
            self._text, self._result = text, self.recognizer.recognize(text)
        return self._result

    def cuts(self, text: str) -> list[int]:
        result = self.get(text)
        return sorted({p for m in result.mentions for p in (m.start, m.end)})


@Language.factory("vnkg_entities", assigns=["doc.ents", "doc._.entities", "doc._.positions", "doc._.mentions"],
                  default_config={"ontology": None})
def make_entities(nlp: Language, name: str, ontology: str | None):
    cache = _shared_cache(ontology)

    def component(doc: Doc) -> Doc:
        result = cache.get((doc._.meta or {}).get("text") or doc.text)
        spans = []
        for m in result.mentions:
            span = doc.char_span(m.start, m.end, label=LABELS[m.kind], alignment_mode="strict")
            if span is None:
                log.debug("mention %r does not align with tokens", m.text)
                continue
            span._.key = m.key
            spans.append(span)
        doc.ents = spans
        doc._.mentions = result.mentions
        doc._.entities = result.entities
        doc._.positions = result.positions
        return doc

    return component


@Language.factory("vnkg_relations", requires=["doc.ents"], assigns=["doc._.relations"],
                  default_config={"ontology": None})
def make_relations(nlp: Language, name: str, ontology: str | None):
    lexicon = _lexicon(ontology)

    def component(doc: Doc) -> Doc:
        meta = doc._.meta or {}
        mentions = doc._.mentions or []
        sentences = []
        full = meta.get("text") or doc.text  # Doc.text joins every token again on each access
        for sent in doc.sents:
            start, end = sent.start_char, sent.end_char
            text = full[start:end].rstrip()
            sentences.append(Sentence(start, start + len(text), text,
                                      [m for m in mentions if start <= m.start and m.end <= start + len(text)]))
        ctx = Context(text=full, sentences=sentences, date=meta.get("date"),
                      entities=doc._.entities or {}, lexicon=lexicon, positions=doc._.positions or [])
        doc._.relations = merge_article_facts(extract_facts(ctx))
        return doc

    return component


@lru_cache(maxsize=4)
def _shared_cache(ontology: str | None) -> _RecognitionCache:
    return _RecognitionCache(load_recognizer(ontology))


@lru_cache(maxsize=4)
def _lexicon(ontology: str | None) -> Lexicon:
    from kg.rdf.namespaces import ontology_dir

    return Lexicon((Path(ontology) if ontology else ontology_dir()) / "rules")


def make_nlp(ontology: str | None = None) -> Language:
    """The pipeline: tokenizer (underthesea, entity-aware), vnkg_entities, vnkg_relations."""
    nlp = spacy.blank("xx")
    tokenizer = VietnameseTokenizer(nlp.vocab)
    tokenizer.protected = _shared_cache(ontology).cuts
    tokenizer.segment_all = False
    nlp.tokenizer = tokenizer
    nlp.add_pipe("vnkg_entities", config={"ontology": ontology})
    nlp.add_pipe("vnkg_relations", config={"ontology": ontology})
    return nlp


def analyse(nlp: Language, article: Article) -> Doc:
    """Run the pipeline on a cleaned article."""
    doc = nlp.make_doc(article.text)
    doc._.meta = {"date": article.date, "source_file": article.source_file, "text": article.text}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


# ---------------------------------------------------------------- one fact per thing per article

_FACT_IDENTITY = {
    "visit": lambda a: (a["visitor"], a["destination"]),
    "meeting": lambda a: (a["participants"], a["meeting_type"]),
    "agreement": lambda a: (_fold_label(a["label"]),),
    "figure": lambda a: (a["indicator"], a["value"], a.get("period"), a.get("from"), a.get("to"), a.get("between")),
}


def _fold_label(label: str) -> str:
    from kg.text import fold

    return fold(label)


def merge_article_facts(facts: list[Fact]) -> list[Fact]:
    """The same fact said twice in one article (headline, then body) becomes one, attributes united.

    Two meetings of the same people on different days stay two."""
    merged: dict[tuple, Fact] = {}
    for fact in facts:
        key = (fact.kind, *_FACT_IDENTITY[fact.kind](fact.attrs))
        if fact.kind == "meeting" and key in merged and fact.attrs.get("date") and merged[key].attrs.get("date") \
                and fact.attrs["date"] != merged[key].attrs["date"]:
            key = key + (fact.attrs["date"].lexical,)
        if key not in merged:
            merged[key] = fact
            continue
        kept = merged[key]
        richer = sum(v is not None for v in fact.attrs.values()) > sum(v is not None for v in kept.attrs.values())
        base, other = (fact, kept) if richer else (kept, fact)
        attrs = dict(base.attrs)
        for k, v in other.attrs.items():
            if attrs.get(k) is None and v is not None:
                attrs[k] = v
        if base.kind == "meeting" and other.kind == "meeting" and attrs.get("date") is None:
            attrs["date"] = other.attrs.get("date")
        merged[key] = Fact(base.kind, base.rule, base.start, base.end, max(base.confidence, other.confidence), attrs)
    return _merge_shortened_agreements(list(merged.values()))


def _merge_shortened_agreements(facts: list[Fact]) -> list[Fact]:
    """'Tuyên bố Hà Nội về quan hệ Đối tác chiến lược' in the lede is the one named in full later."""
    agreements = sorted((f for f in facts if f.kind == "agreement"), key=lambda f: -len(f.attrs["label"]))
    dropped = set()
    for i, short in enumerate(agreements):
        words = _fold_label(short.attrs["label"])
        if len(words.split()) < 4:
            continue
        for long in agreements[:i]:
            if id(long) not in dropped and _fold_label(long.attrs["label"]).startswith(words + " "):
                for k, v in short.attrs.items():
                    if long.attrs.get(k) in (None, ()) and v not in (None, ()):
                        long.attrs[k] = v
                dropped.add(id(short))
                break
    return [f for f in facts if id(f) not in dropped]


