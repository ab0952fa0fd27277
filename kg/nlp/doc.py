"""What an analysed Doc carries, and how to read it: the extensions the pipeline registers.

- `doc._.meta`: the article's `ArticleMeta` (date, source);
- `doc.ents`: PER, GPE, ORG and LOC spans, `ent_id_` the canonical key, with `ent._.name`,
  `ent._.en`, `ent._.country` (organisations and places) and `ent._.nationality` (persons);
- `doc.spans["positions"]`: title phrases with `_.holder`, `_.title`, `_.country`, `_.org`;
- `doc.spans["named_inside"]`: entities the article names only inside a longer name
  ('Myanmar' in 'Hợp tác bốn nước Campuchia, Lào, Myanmar và Việt Nam'), as the ents are;
- `doc._.relations`: the typed facts; `doc._.entities` (a getter): the entity table.

Importing this module registers the extensions; it depends on nothing of the pipeline.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple

import numpy
from spacy.attrs import ENT_ID, ENT_IOB, ENT_TYPE, IDX, LENGTH, SENT_START
from spacy.tokens import Doc, Span

from kg.nlp.entities import KIND_OF_LABEL, EntityInfo, PostMention
from kg.nlp.tokenizer import TEXT_KEY

POSITIONS = "positions"  # the doc.spans key of the posts' title phrases
NAMED_INSIDE = "named_inside"  # the doc.spans key of entities named only inside a longer name


@dataclass(frozen=True)
class ArticleMeta:
    """What the pipeline needs to know about an article besides its text."""

    date: dt.date | None = None
    source: str | None = None  # the file (and line) it came from, for messages


# --------------------------------------------------------------------------- reading a Doc

def text_of(doc: Doc) -> str:
    """`doc.text`, kept by the tokenizer: spaCy joins every token again on each `doc.text`."""
    kept = doc.user_data.get(TEXT_KEY)
    if kept is not None and len(doc) and len(kept) == doc[-1].idx + len(doc[-1].text_with_ws):
        return kept
    return doc.text


def sentences(doc: Doc) -> list[Span]:
    """`list(doc.sents)`, read from the sentence starts in one array operation.

    spaCy's `doc.sents` walks every token on each call; the rules and the writer ask for
    the sentences several times per article. A Doc without sentence starts raises as
    `doc.sents` does."""
    if not len(doc):
        return []
    flags = doc.to_array(SENT_START)
    mark = flags.tobytes()
    kept = doc.user_data.get("vnkg.sentences")
    if kept is not None and kept[0] == mark:
        return list(kept[1])
    if not (flags != 0).any():
        return list(doc.sents)  # no boundaries set: spaCy's own error
    starts = numpy.flatnonzero(flags == 1).tolist()
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    ends = starts[1:] + [len(doc)]
    found = [doc[a:b] for a, b in zip(starts, ends)]
    doc.user_data["vnkg.sentences"] = (mark, tuple(found))  # while the boundaries stay the same
    return found


def token_edges(doc: Doc) -> tuple[frozenset[int], frozenset[int]]:
    """(character offsets where tokens start, where they end)."""
    if not len(doc):
        return frozenset(), frozenset()
    table = doc.to_array([IDX, LENGTH])
    return frozenset(table[:, 0].tolist()), frozenset((table[:, 0] + table[:, 1]).tolist())


def entity_table(doc: Doc) -> dict[tuple[str, str], EntityInfo]:
    """(kind, key) -> what the Doc says about that entity: name, surface forms, country, nationality.

    Kept in `doc.user_data` while the entities stay the same: the rules and the writer
    both read it."""
    mark = _entities_mark(doc)
    kept = doc.user_data.get("vnkg.entities")
    if kept is not None and kept[0] == mark:
        return kept[1]
    table = _entity_table(doc)
    doc.user_data["vnkg.entities"] = (mark, table)
    return table


def keep_entity_table(doc: Doc, named: Iterable[EntityRow], posts: Iterable[PostRow]) -> None:
    """Keep the table the entity component knows as it sets the Doc's spans (`named`: the rows
    of `doc.ents` in their order, then those of the named_inside group; `posts`: the rows of
    the positions group), so that `entity_table` need not read it back from the spans."""
    doc.user_data["vnkg.entities"] = (_entities_mark(doc), _table_of(named, posts))


def _entities_mark(doc: Doc) -> tuple:
    return (doc.to_array([ENT_IOB, ENT_TYPE, ENT_ID]).tobytes() if len(doc) else b"",
            tuple((s.start, s.end) for s in doc.spans.get(POSITIONS, ())),
            tuple((s.start, s.end) for s in doc.spans.get(NAMED_INSIDE, ())))


class EntityRow(NamedTuple):
    """What one entity span says: its kind, key and surface, and the extension values it carries."""

    kind: str
    key: str
    surface: str
    name: str | None
    en: str | None
    country: str | None
    nationality: str | None
    alias: bool


class PostRow(NamedTuple):
    """What one positions span says of the organisation of the post."""

    org: str | None
    org_name: str | None
    country: str | None


def _entity_table(doc: Doc) -> dict[tuple[str, str], EntityInfo]:
    text = text_of(doc)

    def named() -> Iterator[EntityRow]:
        for ent in (*doc.ents, *doc.spans.get(NAMED_INSIDE, ())):
            kind = KIND_OF_LABEL.get(ent.label_)
            if kind is None:
                continue
            surface = text[ent.start_char:ent.end_char]  # (`ent.text` joins the tokens again)
            x = ent._  # (each `ent._` makes a new accessor)
            # the span id: ent_id_ of a span outside doc.ents reads the tokens' entity
            yield EntityRow(kind, ent.id_ or surface, surface, x.name, x.en, x.country, x.nationality, x.alias)

    def posts() -> Iterator[PostRow]:
        for span in doc.spans.get(POSITIONS, ()):
            x = span._
            yield PostRow(x.org, x.org_name, x.country)

    return _table_of(named(), posts())


def _table_of(named: Iterable[EntityRow], posts: Iterable[PostRow]) -> dict[tuple[str, str], EntityInfo]:
    table: dict[tuple[str, str], EntityInfo] = {}
    for row in named:
        info = table.get((row.kind, row.key))
        if info is None:
            info = table[(row.kind, row.key)] = EntityInfo(row.kind, row.key, row.name or row.surface, en=row.en,
                                                           country=row.country, nationality=row.nationality)
        if row.alias:
            info.surfaces.add(row.surface)
        info.nationality = info.nationality or row.nationality
        info.country = info.country or row.country
    for post in posts:
        if post.org and ("organization", post.org) not in table:
            table[("organization", post.org)] = EntityInfo("organization", post.org, post.org_name or post.org,
                                                           country=post.country)
    return table


def post_mentions(doc: Doc) -> list[PostMention]:
    """The posts the Doc states, from its `positions` span group."""
    found = []
    for span in doc.spans.get(POSITIONS, ()):
        x = span._  # (each `span._` makes a new accessor)
        if x.holder and x.title:
            found.append(PostMention(x.holder, x.title, x.country, x.org, span.start_char, span.end_char))
    return found


for _name, _default in (("meta", None), ("relations", None)):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)
if not Doc.has_extension("entities"):
    Doc.set_extension("entities", getter=entity_table)
for _name, _default in (("name", None), ("en", None), ("country", None), ("nationality", None), ("alias", True),
                        ("holder", None), ("title", None), ("org", None), ("org_name", None)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)
