"""From an analysed article (cleaned Article + spaCy Doc) to RDF triples, per ../shared/SCHEMA.md.

Entities get stable IRIs from their canonical keys; facts get IRIs from what
identifies them (a visit: visitor, destination and when), so the same fact reported
by two articles is one node with two prov:wasDerivedFrom links. This module reads
the Doc's extensions only; it never looks at text the earlier stages did not mark.
"""
from __future__ import annotations

from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.article import Article
from kg.nlp.dates import PartialDate
from kg.nlp.facts import Fact
from kg.rdf.iri import DEFAULT_BASE, content_hash, mint
from kg.rdf.namespaces import PROV, RDF, RDFS, SCHEMA, SKOS, VNKG
from kg.text import fold

CLASSES = {"person": VNKG.Person, "country": VNKG.Country, "organization": VNKG.Organization,
           "location": VNKG.Location}
_VI = "vi"


def date_literal(date: PartialDate) -> Literal:
    return Literal(date.lexical, datatype=getattr(XSD, date.xsd))


class ArticleGraph:
    """Writes one article's triples into `graph`."""

    def __init__(self, graph: Graph, base: str = DEFAULT_BASE, gazetteers=None):
        self.g = graph
        self.base = base
        self.gaz = gazetteers

    def iri(self, kind: str, key: str) -> URIRef:
        return mint(kind, key, self.base)

    def add(self, article: Article, doc) -> URIRef:
        """All triples of one article; returns the article's IRI."""
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

        entities = doc._.entities or {}
        for (kind, key), info in sorted(entities.items()):
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

        text = article.text
        for pos in doc._.positions or []:
            # a post as held by one person: two people holding the same office are two nodes,
            # so what one article says of one never reads as said of the other
            node = self.iri("position", f"{pos.person} {pos.title} {pos.country or pos.organization}")
            g.add((node, RDF.type, VNKG.Position))
            g.add((node, VNKG.title, Literal(pos.title, lang=_VI)))
            if pos.country:
                g.add((node, VNKG.ofCountry, self._country_node(pos.country)))
            if pos.organization:
                g.add((node, VNKG.ofOrganization, self.iri("organization", pos.organization)))
            g.add((self.iri("person", pos.person), VNKG.holdsPosition, node))
            start, end = _sentence_around(text, pos.start)
            self._provenance(node, art, text, start, end, "position.title", 0.9)

        for fact in doc._.relations or []:
            self._fact(art, article, text, fact)
        return art

    # ------------------------------------------------------------ entities

    def _country_node(self, key: str) -> URIRef:
        node = self.iri("country", key)
        self.g.add((node, RDF.type, VNKG.Country))
        self._country_labels(node, key)
        return node

    def _partner(self, key: str) -> URIRef:
        """A country, or a bloc written 'organization:<key>' (EU, ASEAN) as a trading partner."""
        if key.startswith("organization:"):
            return self.iri("organization", key.split(":", 1)[1])
        return self._country_node(key)

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

    def _provenance(self, node, art, text, start, end, rule, confidence) -> None:
        g = self.g
        g.add((node, PROV.wasDerivedFrom, art))
        g.add((node, VNKG.evidence, Literal(text[start:end], lang=_VI)))
        g.add((node, VNKG.charStart, Literal(start)))
        g.add((node, VNKG.charEnd, Literal(end)))
        g.add((node, VNKG.rule, Literal(rule)))
        g.add((node, VNKG.confidence, _decimal(str(confidence))))

    def _fact(self, art, article: Article, text: str, fact: Fact) -> None:
        g = self.g
        a = fact.attrs
        person = lambda key: self.iri("person", key)  # noqa: E731
        if fact.kind == "visit":
            when = a.get("start") or a.get("date")
            anchor = f"{when.year}-{when.month}" if when and when.year and when.month else article.digest
            node = self.iri("visit", content_hash("visit", a["visitor"], *a["destination"], anchor))
            g.add((node, RDF.type, VNKG.Visit))
            g.add((node, VNKG.visitor, person(a["visitor"])))
            dest = self._country_node(a["destination"][1]) if a["destination"][0] == "country" \
                else self.iri(*a["destination"])
            g.add((node, VNKG.destination, dest))
            g.add((person(a["visitor"]), VNKG.visited, dest))
            for prop, name in ((VNKG.startDate, "start"), (VNKG.endDate, "end"), (VNKG.date, "date")):
                if a.get(name):
                    g.add((node, prop, date_literal(a[name])))
                    if a[name].note:
                        g.add((node, VNKG.dateNote, Literal(a[name].note)))
            if a.get("visit_type"):
                g.add((node, VNKG.visitType, VNKG[a["visit_type"]]))
            if a.get("status"):
                g.add((node, VNKG.status, VNKG[a["status"]]))
            if a.get("invited_by"):
                g.add((node, VNKG.invitedBy, person(a["invited_by"])))
        elif fact.kind == "meeting":
            date = a.get("date")
            node = self.iri("meeting", content_hash("meeting", *a["participants"], a["meeting_type"],
                                                    date.lexical if date and date.year else article.digest))
            g.add((node, RDF.type, VNKG.Meeting))
            for p in a["participants"]:
                g.add((node, VNKG.participant, person(p)))
                for q in a["participants"]:
                    if p != q:
                        g.add((person(p), VNKG.metWith, person(q)))
            g.add((node, VNKG.meetingType, VNKG[a["meeting_type"]]))
            if date:
                g.add((node, VNKG.date, date_literal(date)))
                if date.note:
                    g.add((node, VNKG.dateNote, Literal(date.note)))
            if a.get("place"):
                g.add((node, VNKG.place, self.iri("location", a["place"])))
        elif fact.kind == "agreement":
            parties = sorted(a.get("parties", ()))
            node = self.iri("agreement", content_hash("agreement", fold(a["label"]), *[k for _, k in parties]))
            g.add((node, RDF.type, VNKG.Agreement))
            g.add((node, RDFS.label, Literal(a["label"], lang=_VI)))
            for kind, key in parties:
                g.add((node, VNKG.party, self._country_node(key) if kind == "country" else self.iri(kind, key)))
            if a.get("signed"):
                g.add((node, VNKG.signedOn, date_literal(a["signed"])))
            for p in a.get("signed_by", ()):
                g.add((node, VNKG.signedBy, person(p)))
        elif fact.kind == "figure":
            ident = (a["indicator"], str(a["value"]), a.get("period"), a.get("from"), a.get("to"),
                     *sorted(a.get("between", ())))
            node = self.iri("figure", content_hash("figure", *ident))
            g.add((node, RDF.type, VNKG.EconomicFigure))
            g.add((node, VNKG.indicator, VNKG[a["indicator"]]))
            g.add((node, VNKG.value, _decimal(a["value"])))
            g.add((node, VNKG.unit, Literal(a["unit"])))
            if a.get("max_value") is not None:
                g.add((node, VNKG.maxValue, _decimal(a["max_value"])))
            if a.get("period"):
                g.add((node, VNKG.period, Literal(a["period"])))
            if a.get("change_percent") is not None:
                g.add((node, VNKG.changePercent, _decimal(a["change_percent"])))
            if a.get("change_factor") is not None:
                g.add((node, VNKG.changeFactor, _decimal(a["change_factor"])))
            if a.get("projects") is not None:
                g.add((node, VNKG.projectCount, Literal(a["projects"], datatype=XSD.integer)))
            if a.get("from"):
                g.add((node, VNKG.fromCountry, self._partner(a["from"])))
            if a.get("to"):
                g.add((node, VNKG.toCountry, self._partner(a["to"])))
            for key in a.get("between", ()):
                g.add((node, VNKG.between, self._partner(key)))
        else:
            raise ValueError(f"unknown fact kind {fact.kind!r}")
        self._provenance(node, art, text, fact.start, fact.end, fact.rule, fact.confidence)


def headline(article: Article) -> str:
    """The title, or the first sentence (cut at 160 characters) when the article has none."""
    if article.title:
        return article.title
    first = article.text.split("\n", 1)[0]
    cut = first.find(". ")
    first = first[: cut + 1] if 0 < cut < 160 else first
    return first if len(first) <= 160 else first[:157].rsplit(" ", 1)[0] + "…"


def _sentence_around(text: str, pos: int) -> tuple[int, int]:
    newline, stop = text.rfind("\n", 0, pos), text.rfind(". ", 0, pos)
    start = max(newline + 1, stop + 2 if stop >= 0 else 0)
    while start < len(text) and text[start] == " ":
        start += 1
    ends = [i for i in (text.find(". ", pos), text.find("\n", pos)) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    if end <= len(text) and text[end - 1:end] == "\n":
        end -= 1
    return start, end


def _decimal(value) -> Literal:
    """An xsd:decimal in canonical form ('5000000000.0', '27.5'), so Turtle round trips give the same term."""
    text = format(Decimal(value).normalize(), "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def _is_iri(url: str) -> bool:
    return url.startswith(("http://", "https://")) and " " not in url

