"""The spaCy pipeline: tokenizer -> article -> sentences -> entities -> relations, written once in `make_nlp`.

    nlp = kg.load_nlp()
    doc = nlp("Chủ tịch nước Lương Cường sẽ thăm Lào ...")              # no date known
    for doc, _ in nlp.pipe([(text, ArticleMeta(date=date))], as_tuples=True): ...

Components read and set only what they declare:

- `vnkg_article` sets `doc._.meta` (date, source) from the context given with the text;
- `vnkg_sentences` sets sentence starts (`kg.text.sentence_spans`);
- `vnkg_entities` sets `doc.ents` (PER, GPE, ORG, LOC; `ent_id_` the canonical key, `ent._.name`
  the canonical name) and the `doc.spans["positions"]` group (the title phrases, with
  `_.holder`, `_.title`, `_.country`, `_.org`);
- `vnkg_relations` reads those and sets `doc._.relations`, the article's typed facts.

`doc._.entities` (a getter) gathers what the Doc says about each entity.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy
import spacy
from spacy.attrs import IDX, SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.article import Article
from kg.nlp.doc import NAMED_INSIDE, POSITIONS, ArticleMeta, EntityRow, PostRow, keep_entity_table, text_of
from kg.nlp.entities import LABELS, Recognizer
from kg.nlp.gazetteer import Gazetteers, load_gazetteers
from kg.nlp.lexicon import Lexicon, load_lexicon
from kg.nlp.rules import RuleSet
from kg.nlp.tokenizer import create_tokenizer
from kg.text import sentence_spans

log = logging.getLogger(__name__)

TOKENIZER = "vnkg.tokenizer.v1"
assert create_tokenizer is not None  # importing it registers TOKENIZER with spaCy
MAX_LENGTH = 10_000_000  # characters; ingest refuses articles long before this


# --------------------------------------------------------------------------- components

@Language.factory("vnkg_article", assigns=["doc._.meta"])
def make_article(nlp: Language, name: str):
    """Take the article's metadata from the context `nlp.pipe(..., as_tuples=True)` gives with its text."""

    def component(doc: Doc) -> Doc:
        if doc._.meta is None:
            context = doc._context
            if isinstance(context, ArticleMeta):
                doc._.meta = context
            elif isinstance(context, dict):
                doc._.meta = ArticleMeta(**{k: v for k, v in context.items()
                                            if k in ("date", "source")})
            else:
                doc._.meta = ArticleMeta()
        return doc

    return component


@Language.factory("vnkg_sentences", assigns=["token.is_sent_start"])
def make_sentences(nlp: Language, name: str):
    """Sentence starts where `kg.text.sentence_spans` puts them: line breaks, and stops before a capital."""

    def component(doc: Doc) -> Doc:
        if not len(doc):
            return doc
        starts = numpy.array([s for s, _ in sentence_spans(text_of(doc))], dtype="int64")
        # set in one go: assigning token by token re-checks the whole Doc each time
        values = numpy.where(numpy.isin(doc.to_array(IDX).astype("int64"), starts), 1, -1)
        values[0] = 1
        doc.from_array([SENT_START], values.astype("int32").astype("uint64").reshape(-1, 1))
        return doc

    return component


@Language.factory("vnkg_entities", assigns=["doc.ents", "doc.spans"], default_config={"ontology": None})
def make_entities(nlp: Language, name: str, ontology: str | None):
    return EntityComponent(*_data(ontology))


@Language.factory("vnkg_relations", requires=["doc.ents", "doc.spans", "token.is_sent_start", "doc._.meta"],
                  assigns=["doc._.relations"], default_config={"ontology": None})
def make_relations(nlp: Language, name: str, ontology: str | None):
    gazetteers, lexicon = _data(ontology)
    return RelationComponent(RuleSet.load(lexicon, gazetteers.home_country))


class EntityComponent:
    """Sets `doc.ents` and the positions span group from the recognizer's result."""

    def __init__(self, gazetteers: Gazetteers, lexicon: Lexicon):
        self.gazetteers = gazetteers
        self.recognizer = Recognizer(gazetteers, lexicon)

    def __call__(self, doc: Doc) -> Doc:
        text = text_of(doc)
        found = self.recognizer.recognize(text)
        ents = [made for made in (_entity_span(doc, text, m, found) for m in found.mentions) if made is not None]
        inside = [made for made in (_entity_span(doc, text, m, found) for m in found.named_inside) if made is not None]
        doc.ents = [span for span, _ in ents]
        doc.spans[NAMED_INSIDE] = [span for span, _ in inside]
        posts, post_rows = [], []
        for p in found.positions:
            span = doc.char_span(p.start, p.end, label="POSITION", alignment_mode="expand")
            if span is None:
                continue
            x = span._
            x.holder, x.title, x.country, x.org = p.person, p.title, p.country, p.organization
            org_name = found.entities[("organization", p.organization)].name if p.organization else None
            if org_name is not None:
                x.org_name = org_name
            posts.append(span)
            post_rows.append(PostRow(p.organization, org_name, p.country))
        doc.spans[POSITIONS] = posts
        ents.sort(key=lambda made: made[0].start)  # the order of doc.ents
        keep_entity_table(doc, [row for _, row in ents + inside], post_rows)
        return doc


def _entity_span(doc: Doc, text: str, m, found) -> tuple[Span, EntityRow] | None:
    """The Span of an entity mention, carrying what the recognizer knows of the entity, and
    the row of the entity table it makes."""
    span = doc.char_span(m.start, m.end, label=LABELS[m.kind], span_id=m.key, alignment_mode="strict")
    if span is None:
        log.debug("mention %r does not fall on token edges", m.text)
        return None
    info = found.entities[(m.kind, m.key)]
    person = m.kind == "person"
    alias = m.text in info.surfaces
    x = span._  # (each `span._` makes a new accessor)
    x.name = info.name
    x.en = info.en
    if person:
        x.nationality = info.nationality
    else:
        x.country = info.country
    x.alias = alias
    surface = text[m.start:m.end]
    return span, EntityRow(m.kind, m.key or surface, surface, info.name, info.en, None if person else info.country,
                           info.nationality if person else None, alias)


class RelationComponent:
    """Sets `doc._.relations`: the typed facts the rules read off the Doc."""

    def __init__(self, rules: RuleSet):
        self.rules = rules

    def __call__(self, doc: Doc) -> Doc:
        doc._.relations = self.rules.facts(doc)
        return doc


def _data(ontology: str | None) -> tuple[Gazetteers, Lexicon]:
    from kg.resources import ontology_dir

    root = Path(ontology) if ontology else ontology_dir()
    return load_gazetteers(root / "gazetteers"), load_lexicon(root / "rules")


# --------------------------------------------------------------------------- the pipeline

def make_nlp(ontology: str | None = None) -> Language:
    """The pipeline, in its one order: tokenizer, vnkg_article, vnkg_sentences, vnkg_entities, vnkg_relations."""
    config = {"nlp": {"tokenizer": {"@tokenizers": TOKENIZER, "ontology": ontology}}}
    nlp = spacy.blank("xx", config=config)
    nlp.max_length = MAX_LENGTH
    nlp.add_pipe("vnkg_article")
    nlp.add_pipe("vnkg_sentences")
    nlp.add_pipe("vnkg_entities", config={"ontology": ontology})
    nlp.add_pipe("vnkg_relations", config={"ontology": ontology})
    return nlp


def meta_of(article: Article) -> ArticleMeta:
    return ArticleMeta(date=article.date, source=article.where)


def analyse(nlp: Language, article: Article) -> Doc:
    """Run the pipeline on one cleaned article."""
    doc = nlp.make_doc(article.text)
    doc._.meta = meta_of(article)
    return nlp(doc)


def analyse_all(nlp: Language, articles: Iterable[Article]) -> Iterator[tuple[Doc, Article]]:
    """Run the pipeline on cleaned articles, in order: (Doc, its article)."""
    for article in articles:
        yield analyse(nlp, article), article


def gazetteers_of(nlp: Language) -> Gazetteers:
    """The gazetteers a pipeline's entity component was built from."""
    return nlp.get_pipe("vnkg_entities").gazetteers

