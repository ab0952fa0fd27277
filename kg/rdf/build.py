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

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.article import Article
from kg.nlp.dates import PartialDate
from kg.nlp.records import Agreement, EconomicFigure, Evidence, Meeting, Position, Ref, Visit
from kg.rdf.iri import DEFAULT_BASE, content_hash, mint
from kg.rdf.namespaces import PROV, RDF, RDFS, SCHEMA, SKOS, VNKG
from kg.text import fold

CLASSES = {"person": VNKG.Person, "country": VNKG.Country, "organization": VNKG.Organization,
           "location": VNKG.Location}
_VI = "vi"

# How a field's value becomes RDF objects.
ENTITY, DATE, TERM, TEXT, PLAIN, DECIMAL, INTEGER = "entity", "date", "term", "text", "plain", "decimal", "integer"

FACTS: dict[type, tuple[URIRef, tuple[tuple[str, URIRef, str], ...]]] = {
    Visit: (VNKG.Visit, (
        ("visitor", VNKG.visitor, ENTITY), ("destination", VNKG.destination, ENTITY),
        ("start", VNKG.startDate, DATE), ("end", VNKG.endDate, DATE), ("date", VNKG.date, DATE),
        ("visit_type", VNKG.visitType, TERM), ("status", VNKG.status, TERM), ("invited_by", VNKG.invitedBy, ENTITY))),
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
        ("title", VNKG.title, TEXT), ("country", VNKG.ofCountry, ENTITY), ("organization", VNKG.ofOrganization, ENTITY))),
}


def date_literal(date: PartialDate) -> Literal:
    return Literal(date.lexical, datatype=getattr(XSD, date.xsd))


class ArticleGraph:
    """Writes one article's triples into `graph` (anything with rdflib's `add`)."""

    def __init__(self, graph: Graph, base: str = DEFAULT_BASE, gazetteers=None):
        self.g = graph
        self.base = base
        self.gaz = gazetteers

    def iri(self, kind: str, key: str) -> URIRef:
        return mint(kind, key, self.base)

    def add(self, article: Article, doc) -> URIRef:
        """All triples of one article; returns the article's IRI."""
        from kg.nlp.doc import post_mentions, sentences as sentences_of, text_of

        g = self.g
        art = self.iri("article", article.digest)
        g.add((art, RDF.type, SCHEMA.NewsArticle))
        g.add((art, VNKG.sourceFile, Literal(article.source_file)))
        if article.line is not None:
            g.add((art, VNKG.sourceLine, Literal(article.line)))
        g.add((art, SCHEMA.headline, Literal(headline(article), lang=_VI)))
        if article.date:
            g.add((art, SCHEMA.datePublished, Literal(article.date.isoformat(), datatype=XSD.date)))
        if article.url:
            g.add((art, SCHEMA.url, URIRef(article.url) if _is_iri(article.url) else Literal(article.url)))
        if article.author:
            g.add((art, SCHEMA.author, Literal(article.author)))
        if article.publisher:
            pub = self.iri("organization", article.publisher)
            g.add((pub, RDF.type, VNKG.Organization))
            g.add((pub, RDFS.label, Literal(article.publisher, lang=_VI)))
            g.add((art, SCHEMA.publisher, pub))

        for (kind, key), info in sorted(doc._.entities.items()):
            node = self.iri(kind, key)
            g.add((node, RDF.type, CLASSES[kind]))
            g.add((node, RDFS.label, Literal(info.name, lang=_VI)))
            if kind == "country":
                self._country_labels(node, key)
            if info.en:
                g.add((node, RDFS.label, Literal(info.en, lang="en")))
            for surface in sorted(info.surfaces):
                if surface != info.name and fold(surface) != fold(info.name) or surface.replace("_", " ") != surface:
                    g.add((node, SKOS.altLabel, Literal(surface, lang=_VI)))
            if info.country and kind in ("organization", "location"):
                g.add((node, VNKG.country, self._country_node(info.country)))
            if kind == "person" and info.nationality:
                g.add((node, VNKG.nationality, self._country_node(info.nationality)))
            g.add((art, SCHEMA.mentions, node))

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
        return art

    # ------------------------------------------------------------ entities

    def _country_node(self, key: str) -> URIRef:
        node = self.iri("country", key)
        self.g.add((node, RDF.type, VNKG.Country))
        self._country_labels(node, key)
        return node

    def _entity(self, ref: Ref) -> URIRef:
        return self._country_node(ref.key) if ref.kind == "country" else self.iri(ref.kind, ref.key)

    def _country_labels(self, node: URIRef, key: str) -> None:
        if self.gaz is None:
            return
        entry = self.gaz.get("country", key)
        if entry is None:
            return
        self.g.add((node, RDFS.label, Literal(entry.name, lang=_VI)))
        if entry.en:
            self.g.add((node, RDFS.label, Literal(entry.en, lang="en")))

    # ------------------------------------------------------------ facts

    def fact(self, art: URIRef, article: Article, fact) -> URIRef:
        """The node of one typed fact, its fields, its shortcuts and its evidence from this article."""
        cls, fields = FACTS[type(fact)]
        node = self.iri(fact.kind, content_hash(*fact.identity(article.digest)))
        g = self.g
        g.add((node, RDF.type, cls))
        for name, prop, how in fields:
            value = getattr(fact, name)
            for item in (value if isinstance(value, tuple) else (value,)):
                if item is None:
                    continue
                g.add((node, prop, self._object(item, how)))
                if how == DATE and item.note:
                    g.add((node, VNKG.dateNote, Literal(item.note)))
        self._shortcuts(node, fact)
        self._evidence(node, art, article, fact.evidence)
        return node

    def _object(self, value, how: str):
        if how == ENTITY:
            return self._entity(value)
        if how == DATE:
            return date_literal(value)
        if how == TERM:
            return VNKG[value]
        if how == TEXT:
            return Literal(value, lang=_VI)
        if how == DECIMAL:
            return _decimal(value)
        if how == INTEGER:
            return Literal(value, datatype=XSD.integer)
        return Literal(value)

    def _shortcuts(self, node: URIRef, fact) -> None:
        """The binary links graph tools and simple queries use: visited, metWith, holdsPosition."""
        g = self.g
        if isinstance(fact, Visit):
            g.add((self._entity(fact.visitor), VNKG.visited, self._entity(fact.destination)))
        elif isinstance(fact, Meeting):
            people = [self._entity(p) for p in fact.participants]
            for p in people:
                for q in people:
                    if p != q:
                        g.add((p, VNKG.metWith, q))
        elif isinstance(fact, Position):
            g.add((self._entity(fact.person), VNKG.holdsPosition, node))

    def _evidence(self, node: URIRef, art: URIRef, article: Article, evidence: Evidence) -> None:
        """The fact's sentence on the fact, and one evidence node for this (fact, article)."""
        g = self.g
        sentence = Literal(article.text[evidence.start:evidence.end], lang=_VI)
        g.add((node, PROV.wasDerivedFrom, art))
        g.add((node, VNKG.evidence, sentence))
        record = self.iri("evidence", content_hash(str(node), article.digest))
        g.add((node, VNKG.attestedBy, record))
        g.add((record, RDF.type, VNKG.Evidence))
        g.add((record, PROV.wasDerivedFrom, art))
        g.add((record, VNKG.sentence, sentence))
        g.add((record, VNKG.charStart, Literal(evidence.start)))
        g.add((record, VNKG.charEnd, Literal(evidence.end)))
        g.add((record, VNKG.rule, Literal(evidence.rule)))
        g.add((record, VNKG.confidence, _decimal(str(evidence.confidence))))


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


def _decimal(value) -> Literal:
    """An xsd:decimal in canonical form ('5000000000.0', '27.5'), so Turtle round trips give the same term."""
    text = format(Decimal(value).normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _is_iri(url: str) -> bool:
    return url.startswith(("http://", "https://")) and " " not in url

