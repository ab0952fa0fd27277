"""From an analysed article (cleaned Article + spaCy Doc) to RDF triples, per ../shared/SCHEMA.md.

Entities get stable IRIs from their canonical keys; each typed fact is written through
one table (`FACTS`: its class and, field by field, the property and kind of value) and
gets its IRI from its `identity`, so the same fact reported by two articles is one node
with two prov:wasDerivedFrom links. Every (fact, article) pair also gets an evidence
node: the sentence, its span in that article's cleaned text, the rule and the
confidence, derived from that article. This module reads the Doc's annotations only.
"""
from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from kg.article import Article
from kg.nlp.dates import PartialDate
from kg.nlp.records import Agreement, EconomicFigure, Evidence, Meeting, Position, Ref, Visit
from kg.rdf.iri import DEFAULT_BASE, content_hash, mint
from kg.rdf.namespaces import PROV, RDF, RDFS, SCHEMA, SKOS, VNKG, XSD
from kg.rdf.ntriples import iri as _iri, literal
from kg.text import fold

# Terms are written as N-Triples strings (kg.rdf.ntriples) from the start: no rdflib term
# objects per triple. The names below are the terms this module writes, as N-Triples.
_TYPE, _LABEL, _ALT_LABEL = _iri(RDF.type), _iri(RDFS.label), _iri(SKOS.altLabel)
_DERIVED_FROM, _MENTIONS = _iri(PROV.wasDerivedFrom), _iri(SCHEMA.mentions)
_XSD_DATE, _XSD_DECIMAL, _XSD_INTEGER = str(XSD.date), str(XSD.decimal), str(XSD.integer)
_S = {name: _iri(SCHEMA[name]) for name in ("NewsArticle", "headline", "datePublished", "url", "author", "publisher")}
_V = {name: _iri(VNKG[name]) for name in (
    "sourceFile", "sourceLine", "country", "nationality", "dateNote", "visited", "metWith", "holdsPosition",
    "evidence", "attestedBy", "Evidence", "sentence", "charStart", "charEnd", "rule", "confidence", "Organization",
    "Country")}

CLASSES = {"person": _iri(VNKG.Person), "country": _iri(VNKG.Country), "organization": _iri(VNKG.Organization),
           "location": _iri(VNKG.Location)}
_VI = "vi"

# How a field's value becomes RDF objects.
ENTITY, DATE, TERM, TEXT, PLAIN, DECIMAL, INTEGER = "entity", "date", "term", "text", "plain", "decimal", "integer"

FACTS: dict[type, tuple[str, tuple[tuple[str, str, str], ...]]] = {
    cls: (_iri(kind), tuple((name, _iri(prop), how) for name, prop, how in fields)) for cls, (kind, fields) in {
        Visit: (VNKG.Visit, (
            ("visitor", VNKG.visitor, ENTITY), ("destination", VNKG.destination, ENTITY),
            ("start", VNKG.startDate, DATE), ("end", VNKG.endDate, DATE), ("date", VNKG.date, DATE),
            ("visit_type", VNKG.visitType, TERM), ("status", VNKG.status, TERM),
            ("invited_by", VNKG.invitedBy, ENTITY))),
        Meeting: (VNKG.Meeting, (
            ("participants", VNKG.participant, ENTITY), ("meeting_type", VNKG.meetingType, TERM),
            ("date", VNKG.date, DATE), ("place", VNKG.place, ENTITY))),
        Agreement: (VNKG.Agreement, (
            ("label", RDFS.label, TEXT), ("parties", VNKG.party, ENTITY), ("signed", VNKG.signedOn, DATE),
            ("signed_by", VNKG.signedBy, ENTITY))),
        EconomicFigure: (VNKG.EconomicFigure, (
            ("indicator", VNKG.indicator, TERM), ("value", VNKG.value, DECIMAL), ("unit", VNKG.unit, PLAIN),
            ("max_value", VNKG.maxValue, DECIMAL), ("period", VNKG.period, PLAIN),
            ("change_percent", VNKG.changePercent, DECIMAL), ("change_factor", VNKG.changeFactor, DECIMAL),
            ("projects", VNKG.projectCount, INTEGER), ("source", VNKG.fromCountry, ENTITY),
            ("target", VNKG.toCountry, ENTITY), ("between", VNKG.between, ENTITY))),
        Position: (VNKG.Position, (
            ("title", VNKG.title, TEXT), ("country", VNKG.ofCountry, ENTITY),
            ("organization", VNKG.ofOrganization, ENTITY))),
    }.items()}


_DATE_TYPES = {name: str(XSD[name]) for name in ("date", "gMonthDay", "gYearMonth", "gYear")}


def date_literal(date: PartialDate) -> str:
    return literal(date.lexical, datatype=_DATE_TYPES[date.xsd])


class ArticleGraph:
    """Writes one article's triples into `sink` (kg.rdf.ntriples.TripleSink: each triple as three N-Triples terms)."""

    def __init__(self, sink, base: str = DEFAULT_BASE, gazetteers=None):
        self.g = sink
        self.base = base
        self.gaz = gazetteers

    def iri(self, kind: str, key: str) -> str:
        return _iri(mint(kind, key, self.base))

    def add(self, article: Article, doc) -> str:
        """All triples of one article; returns the article's IRI."""
        from kg.nlp.doc import post_mentions, sentences as sentences_of, text_of

        g = self.g
        art_iri = mint("article", article.digest, self.base)
        art = _iri(art_iri)
        g.add((art, _TYPE, _S["NewsArticle"]))
        g.add((art, _V["sourceFile"], literal(article.source_file)))
        if article.line is not None:
            g.add((art, _V["sourceLine"], literal(str(article.line), datatype=_XSD_INTEGER)))
        g.add((art, _S["headline"], literal(headline(article), _VI)))
        if article.date:
            g.add((art, _S["datePublished"], literal(article.date.isoformat(), datatype=_XSD_DATE)))
        if article.url:
            g.add((art, _S["url"], _iri(article.url) if _is_iri(article.url) else literal(article.url)))
        if article.author:
            g.add((art, _S["author"], literal(article.author)))
        if article.publisher:
            pub = self.iri("organization", article.publisher)
            g.add((pub, _TYPE, _V["Organization"]))
            g.add((pub, _LABEL, literal(article.publisher, _VI)))
            g.add((art, _S["publisher"], pub))

        for (kind, key), info in sorted(doc._.entities.items()):
            node = self.iri(kind, key)
            g.add((node, _TYPE, CLASSES[kind]))
            g.add((node, _LABEL, literal(info.name, _VI)))
            if kind == "country":
                self._country_labels(node, key)
            if info.en:
                g.add((node, _LABEL, literal(info.en, "en")))
            for surface in sorted(info.surfaces):
                if surface != info.name and fold(surface) != fold(info.name) or surface.replace("_", " ") != surface:
                    g.add((node, _ALT_LABEL, literal(surface, _VI)))
            if info.country and kind in ("organization", "location"):
                g.add((node, _V["country"], self._country_node(info.country)))
            if kind == "person" and info.nationality:
                g.add((node, _V["nationality"], self._country_node(info.nationality)))
            g.add((art, _MENTIONS, node))

        sentences = [(s.start_char, s.end_char) for s in sentences_of(doc)]
        text = text_of(doc)
        for post in post_mentions(doc):
            start, end = _sentence_of(sentences, text, post.start)
            position = Position(
                person=Ref("person", post.person), title=post.title,
                evidence=Evidence(start, end, "position.title", 0.9),
                country=Ref("country", post.country) if post.country else None,
                organization=Ref("organization", post.organization) if post.organization else None)
            self.fact(art, article, position)
        for fact in doc._.relations or ():
            self.fact(art, article, fact)
        return art_iri

    # ------------------------------------------------------------ entities

    def _country_node(self, key: str) -> str:
        node = self.iri("country", key)
        self.g.add((node, _TYPE, _V["Country"]))
        self._country_labels(node, key)
        return node

    def _entity(self, ref: Ref) -> str:
        return self._country_node(ref.key) if ref.kind == "country" else self.iri(ref.kind, ref.key)

    def _country_labels(self, node: str, key: str) -> None:
        if self.gaz is None:
            return
        entry = self.gaz.get("country", key)
        if entry is None:
            return
        self.g.add((node, _LABEL, literal(entry.name, _VI)))
        if entry.en:
            self.g.add((node, _LABEL, literal(entry.en, "en")))

    # ------------------------------------------------------------ facts

    def fact(self, art: str, article: Article, fact) -> str:
        """The node of one typed fact, its fields, its shortcuts and its evidence from this article."""
        cls, fields = FACTS[type(fact)]
        node_iri = mint(fact.kind, content_hash(*fact.identity(article.digest)), self.base)
        node = _iri(node_iri)
        g = self.g
        g.add((node, _TYPE, cls))
        for name, prop, how in fields:
            value = getattr(fact, name)
            for item in (value if isinstance(value, tuple) else (value,)):
                if item is None:
                    continue
                g.add((node, prop, self._object(item, how)))
                if how == DATE and item.note:
                    g.add((node, _V["dateNote"], literal(item.note)))
        self._shortcuts(node, fact)
        self._evidence(node, node_iri, art, article, fact.evidence)
        return node

    def _object(self, value, how: str) -> str:
        if how == ENTITY:
            return self._entity(value)
        if how == DATE:
            return date_literal(value)
        if how == TERM:
            return _iri(VNKG[value])
        if how == TEXT:
            return literal(value, _VI)
        if how == DECIMAL:
            return _decimal(value)
        if how == INTEGER:
            return literal(str(int(value)), datatype=_XSD_INTEGER)
        return literal(str(value))

    def _shortcuts(self, node: str, fact) -> None:
        """The binary links graph tools and simple queries use: visited, metWith, holdsPosition."""
        g = self.g
        if isinstance(fact, Visit):
            g.add((self._entity(fact.visitor), _V["visited"], self._entity(fact.destination)))
        elif isinstance(fact, Meeting):
            people = [self._entity(p) for p in fact.participants]
            for p in people:
                for q in people:
                    if p != q:
                        g.add((p, _V["metWith"], q))
        elif isinstance(fact, Position):
            g.add((self._entity(fact.person), _V["holdsPosition"], node))

    def _evidence(self, node: str, node_iri: str, art: str, article: Article, evidence: Evidence) -> None:
        """The fact's sentence on the fact, and one evidence node for this (fact, article)."""
        g = self.g
        sentence = literal(article.text[evidence.start:evidence.end], _VI)
        g.add((node, _DERIVED_FROM, art))
        g.add((node, _V["evidence"], sentence))
        record = self.iri("evidence", content_hash(node_iri, article.digest))
        g.add((node, _V["attestedBy"], record))
        g.add((record, _TYPE, _V["Evidence"]))
        g.add((record, _DERIVED_FROM, art))
        g.add((record, _V["sentence"], sentence))
        g.add((record, _V["charStart"], literal(str(evidence.start), datatype=_XSD_INTEGER)))
        g.add((record, _V["charEnd"], literal(str(evidence.end), datatype=_XSD_INTEGER)))
        g.add((record, _V["rule"], literal(evidence.rule)))
        g.add((record, _V["confidence"], _decimal(str(evidence.confidence))))


def headline(article: Article) -> str:
    """The title, or the first sentence (cut at 160 characters) when the article has none."""
    if article.title:
        return article.title
    first = article.text.split("\n", 1)[0]
    cut = first.find(". ")
    first = first[: cut + 1] if 0 < cut < 160 else first
    return first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "…"


def _sentence_of(sentences: list[tuple[int, int]], text: str, pos: int) -> tuple[int, int]:
    for start, end in sentences:
        if start <= pos < end:
            while end > start and text[end - 1] in " \n":
                end -= 1
            return start, end
    return pos, pos


@lru_cache(maxsize=4096)
def _decimal(value) -> str:
    """An xsd:decimal in canonical form ('5000000000.0', '27.5'), so Turtle round trips give the same term."""
    text = format(Decimal(value).normalize(), "f")
    if "." not in text:
        text += ".0"
    return literal(text, datatype=_XSD_DECIMAL)


def _is_iri(url: str) -> bool:
    return url.startswith(("http://", "https://")) and " " not in url

