"""The graph page's data: nodes, links, details, timeline, read from a vnkg RDF graph.

`graph_to_view` reads only the terms of the graph contract (shared SCHEMA.md,
`kg.rdf.namespaces.VNKG`) and returns plain JSON-ready dicts; it never changes the
graph and knows nothing of HTML. Articles are not nodes: they are the sources shown
in a fact's details. The materialised shortcuts (`vnkg:visited`, `vnkg:metWith`) are
not drawn either, since the fact nodes already show them with their evidence.
"""
from __future__ import annotations

import calendar
import datetime
import logging
import re
from collections.abc import Iterable, Iterator

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import ViewError
from kg.rdf.namespaces import PROV, RDF, RDFS, SCHEMA, SKOS, VNKG
from kg.text import fold

log = logging.getLogger(__name__)

# Node kinds in legend order; a resource with several classes takes the first that fits.
KIND_OF_CLASS: dict[URIRef, str] = {
    VNKG.Person: "person",
    VNKG.Country: "country",
    VNKG.Organization: "organization",
    VNKG.Location: "location",
    VNKG.Position: "position",
    VNKG.Visit: "visit",
    VNKG.Meeting: "meeting",
    VNKG.Agreement: "agreement",
    VNKG.EconomicFigure: "figure",
}
KINDS: tuple[str, ...] = tuple(KIND_OF_CLASS.values())
FACT_KINDS = frozenset({"visit", "meeting", "agreement", "figure"})
KIND_LABELS = {
    "person": "Person", "country": "Country", "organization": "Organisation", "location": "Place",
    "position": "Position", "visit": "Visit", "meeting": "Meeting", "agreement": "Agreement",
    "figure": "Economic figure",
}
KIND_PLURALS = {
    "person": "people", "country": "countries", "organization": "organisations", "location": "places",
    "position": "positions", "visit": "visits", "meeting": "meetings", "agreement": "agreements",
    "figure": "economic figures",
}

# The links drawn, with the words shown on them. Any other vnkg: property between two
# drawn nodes is drawn too, named after its local name.
LINK_LABELS: dict[URIRef, str] = {
    VNKG.visitor: "visitor",
    VNKG.destination: "destination",
    VNKG.invitedBy: "invited by",
    VNKG.participant: "participant",
    VNKG.place: "place",
    VNKG.party: "party",
    VNKG.signedBy: "signed by",
    VNKG.fromCountry: "from",
    VNKG.toCountry: "to",
    VNKG.between: "between",
    VNKG.holdsPosition: "holds position",
    VNKG.ofCountry: "of country",
    VNKG.ofOrganization: "of organisation",
    VNKG.nationality: "nationality",
    VNKG.country: "in country",
}
SHORTCUTS = frozenset({VNKG.visited, VNKG.metWith})
FACT_WEIGHT = 0.25
_VNKG_NS = str(VNKG._NS)

_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_MONTH_DAY = re.compile(r"^--(\d{2})-(\d{2})")


# ---------------------------------------------------------------- text and dates


def humanize(name: str) -> str:
    """'StateVisit' -> 'State visit', 'holdsPosition' -> 'holds position'."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).split()
    if not words:
        return name
    return " ".join([words[0], *(w if w.isupper() else w.lower() for w in words[1:])])


def date_range(text: str) -> tuple[str, str] | None:
    """The first and last day an xsd date, month, year, quarter or 'A/B' period covers; None if unplaced.

    >>> date_range("2025-06")
    ('2025-06-01', '2025-06-30')
    """
    text = str(text).strip()
    if "/" in text:
        first, _, last = text.partition("/")
        a, b = date_range(first), date_range(last)
        return (a[0], b[1]) if a and b else None
    if m := _DAY.match(text):
        return (m.group(0), m.group(0))
    if m := _MONTH.match(text):
        year, month = int(m.group(1)), int(m.group(2))
        if not 1 <= month <= 12:
            return None
        return (f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}")
    if m := _YEAR.match(text):
        return (f"{m.group(1)}-01-01", f"{m.group(1)}-12-31")
    if m := _QUARTER.match(text):
        year, quarter = int(m.group(1)), int(m.group(2))
        last_month = quarter * 3
        return (f"{year:04d}-{last_month - 2:02d}-01",
                f"{year:04d}-{last_month:02d}-{calendar.monthrange(year, last_month)[1]:02d}")
    return None


def bound(text: str | None, *, end: bool, option: str) -> str | None:
    """A --since/--until value (YYYY, YYYY-MM or YYYY-MM-DD) as the day it starts or ends on."""
    if text is None or str(text).strip() == "":
        return None
    text = str(text).strip()
    span = date_range(text) if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", text) else None
    if span is not None and len(text) == 10:
        try:
            datetime.date.fromisoformat(text)
        except ValueError:
            span = None
    if span is None:
        raise ViewError(f"{option} {text!r} is not a date: write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2024 or 2025-06)")
    return span[1] if end else span[0]


def show_date(text: str) -> str:
    """A date literal as people read it: '--03-23' has no year, so it says so."""
    if m := _MONTH_DAY.match(text):
        return f"{m.group(2)}/{m.group(1)} (year not stated)"
    return text


# ---------------------------------------------------------------- reading the graph


class _Reader:
    """Labels and values of one rdflib graph, with @vi preferred."""

    def __init__(self, graph: Graph):
        self.graph = graph
        self._labels: dict[Node, str] = {}

    def literals(self, subject: Node, predicate: URIRef) -> list[Literal]:
        return [o for o in self.graph.objects(subject, predicate) if isinstance(o, Literal)]

    def text(self, subject: Node, predicate: URIRef) -> str | None:
        """The @vi value of a literal property, else one without language, else any (stable choice)."""
        values = self.literals(subject, predicate)
        if not values:
            return None
        for wanted in ("vi", None):
            chosen = sorted(str(v) for v in values if v.language == wanted)
            if chosen:
                return chosen[0]
        return sorted(str(v) for v in values)[0]

    def texts(self, subject: Node, predicate: URIRef) -> list[str]:
        return sorted({str(v) for v in self.literals(subject, predicate)})

    def english(self, subject: Node) -> str | None:
        values = sorted(str(v) for v in self.literals(subject, RDFS.label) if v.language == "en")
        return values[0] if values else None

    def refs(self, subject: Node, predicate: URIRef) -> list[URIRef]:
        return sorted(o for o in self.graph.objects(subject, predicate) if isinstance(o, URIRef))

    def label(self, node: Node) -> str:
        if node not in self._labels:
            self._labels[node] = self._label(node)
        return self._labels[node]

    def _label(self, node: Node) -> str:
        title = self.text(node, VNKG.title)
        if title:  # a Position: "Chủ tịch nước · Lào"
            holders = [self.label(o) for o in self.refs(node, VNKG.ofCountry) + self.refs(node, VNKG.ofOrganization)]
            return " · ".join([title, *holders[:1]])
        for predicate in (RDFS.label, SKOS.prefLabel, SCHEMA.name):
            text = self.text(node, predicate)
            if text:
                return text
        return local_name(node)

    def dates(self, subject: Node, predicate: URIRef) -> list[str]:
        return sorted(str(v) for v in self.literals(subject, predicate))


def local_name(node: Node) -> str:
    text = str(node).rstrip("/#")
    return re.split(r"[/#]", text)[-1] or text


def _kind(graph: Graph, node: Node) -> str | None:
    classes = set(graph.objects(node, RDF.type))
    for cls, kind in KIND_OF_CLASS.items():
        if cls in classes:
            return kind
    return None


def _vocab_label(node: Node) -> str:
    """The reading of an enumeration member: vnkg:StateVisit -> 'State visit'."""
    return humanize(local_name(node))


def _span(values: Iterable[str]) -> tuple[str, str] | None:
    spans = [s for s in (date_range(v) for v in values) if s]
    if not spans:
        return None
    return (min(s[0] for s in spans), max(s[1] for s in spans))


def _when(start: list[str], end: list[str], dates: list[str]) -> str:
    if start or end:
        first = show_date(start[0]) if start else "?"
        last = show_date(end[-1]) if end else ""
        return first if not last or last == first else f"{first} – {last}"
    if dates:
        return " – ".join(dict.fromkeys(show_date(d) for d in (dates[0], dates[-1])))
    return ""


def _number(text: str) -> str:
    """A decimal as people read amounts: 2250000000.0 -> '2,250,000,000'."""
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _amount(value: str, unit: str | None) -> str:
    """'2250000000.0', 'USD' -> '2.25 billion USD (2,250,000,000)'."""
    try:
        number = float(value)
    except ValueError:
        return " ".join(x for x in (value, unit) if x)
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if abs(number) >= size:
            short = f"{number / size:.2f}".rstrip("0").rstrip(".")
            return f"{short} {word} {unit or ''}".strip() + f" ({_number(value)})"
    return f"{_number(value)} {unit or ''}".strip()


# ---------------------------------------------------------------- the view


def _ref(reader: _Reader, node: URIRef) -> dict:
    return {"id": str(node), "text": reader.label(node)}


def _row(name: str, parts: Iterable[str | dict]) -> list | None:
    parts = [p for p in parts if p not in (None, "")]
    return [name, parts] if parts else None


def _describe(reader: _Reader, node: URIRef, kind: str) -> dict:
    """Label, dates, detail rows, evidence and sources of one node."""
    g = reader.graph
    info: dict = {"label": reader.label(node), "rows": [], "start": None, "end": None, "when": ""}
    rows: list[list | None] = []

    def refs(predicate: URIRef) -> list[dict]:
        return [_ref(reader, o) for o in reader.refs(node, predicate)]

    if kind == "visit":
        start, end, dates = (reader.dates(node, p) for p in (VNKG.startDate, VNKG.endDate, VNKG.date))
        span = _span(start + end + dates)
        info["start"], info["end"] = span if span else (None, None)
        info["order"] = span[0] if span else next(iter(start + dates + end), None)
        info["when"] = _when(start, end, dates)
        types = [_vocab_label(t) for t in reader.refs(node, VNKG.visitType)]
        visitors = [reader.label(o) for o in reader.refs(node, VNKG.visitor)]
        places = [reader.label(o) for o in reader.refs(node, VNKG.destination)]
        info["label"] = " ".join(x for x in (types[0] if types else "Visit", info["when"].split(" – ")[0]) if x)
        info["summary"] = f"{', '.join(visitors) or '?'} → {', '.join(places) or '?'}"
        info["who"], info["where"], info["type"] = visitors, places, types[0] if types else "Visit"
        rows += [_row("Visitor", refs(VNKG.visitor)), _row("Destination", refs(VNKG.destination)),
                 _row("When", [info["when"]]), _row("Type", types),
                 _row("Invited by", refs(VNKG.invitedBy)),
                 _row("Status", [_vocab_label(s) for s in reader.refs(node, VNKG.status)])]
    elif kind == "meeting":
        dates = reader.dates(node, VNKG.date)
        span = _span(dates)
        info["start"], info["end"] = span if span else (None, None)
        info["order"] = span[0] if span else next(iter(dates), None)
        info["when"] = _when([], [], dates)
        types = [_vocab_label(t) for t in reader.refs(node, VNKG.meetingType)]
        people = [reader.label(o) for o in reader.refs(node, VNKG.participant)]
        places = [reader.label(o) for o in reader.refs(node, VNKG.place)]
        info["label"] = " ".join(x for x in (types[0] if types else "Meeting", info["when"].split(" – ")[0]) if x)
        info["summary"] = " – ".join(people) or "?"
        if places:
            info["summary"] += f" ({', '.join(places)})"
        info["who"], info["where"], info["type"] = people, places, types[0] if types else "Meeting"
        rows += [_row("Participants", refs(VNKG.participant)), _row("When", [info["when"]]),
                 _row("Type", types), _row("Place", refs(VNKG.place))]
    elif kind == "agreement":
        dates = reader.dates(node, VNKG.signedOn)
        span = _span(dates)
        info["start"], info["end"] = span if span else (None, None)
        info["when"] = _when([], [], dates)
        parties = [reader.label(o) for o in reader.refs(node, VNKG.party)]
        info["summary"] = f"{info['label']} ({', '.join(parties)})" if parties else info["label"]
        rows += [_row("Name", [info["label"]]), _row("Parties", refs(VNKG.party)),
                 _row("Signed on", [info["when"]]), _row("Signed by", refs(VNKG.signedBy))]
    elif kind == "figure":
        periods = reader.texts(node, VNKG.period)
        span = _span(periods)
        info["start"], info["end"] = span if span else (None, None)
        info["when"] = ", ".join(periods)
        indicators = [_vocab_label(i) for i in reader.refs(node, VNKG.indicator)]
        unit = reader.text(node, VNKG.unit)
        value = reader.text(node, VNKG.value)
        indicator = indicators[0] if indicators else "Figure"
        info["label"] = " ".join(x for x in (indicator, info["when"]) if x)
        sides = reader.refs(node, VNKG.between) or reader.refs(node, VNKG.fromCountry) + reader.refs(node, VNKG.toCountry)
        arrow = " – " if reader.refs(node, VNKG.between) else " → "
        info["summary"] = f"{indicator} {arrow.join(reader.label(s) for s in sides)}".strip()
        if value:
            info["summary"] += f": {_amount(value, unit)}"
        change = reader.text(node, VNKG.changePercent)
        rows += [_row("Indicator", indicators), _row("Value", [_amount(value, unit)] if value else []),
                 _row("Up to", [_amount(v, unit) for v in reader.texts(node, VNKG.maxValue)]),
                 _row("Period", periods), _row("Change", [f"{_number(change)} %"] if change else []),
                 _row("Change factor", [f"× {v}" for v in reader.texts(node, VNKG.changeFactor)]),
                 _row("Projects", [_number(v) for v in reader.texts(node, VNKG.projectCount)]),
                 _row("Between", refs(VNKG.between)), _row("From", refs(VNKG.fromCountry)),
                 _row("To", refs(VNKG.toCountry))]
    elif kind == "position":
        holders = sorted(s for s in g.subjects(VNKG.holdsPosition, node) if isinstance(s, URIRef))
        info["summary"] = info["label"]
        rows += [_row("Title", reader.texts(node, VNKG.title)), _row("Held by", [_ref(reader, h) for h in holders]),
                 _row("Of country", refs(VNKG.ofCountry)), _row("Of organisation", refs(VNKG.ofOrganization))]
    else:
        english = reader.english(node)
        alts = [a for a in reader.texts(node, SKOS.altLabel) if a != info["label"]]
        info["alt"] = alts
        rows += [_row("English", [english] if english and english != info["label"] else []),
                 _row("Also written", alts),
                 _row("Nationality", refs(VNKG.nationality)),
                 _row("Positions", refs(VNKG.holdsPosition)),
                 _row("Country", refs(VNKG.country))]

    if kind in FACT_KINDS or kind == "position":
        info["evidence"] = reader.texts(node, VNKG.evidence)
        info["sources"] = [str(a) for a in reader.refs(node, PROV.wasDerivedFrom)]
        notes = reader.texts(node, VNKG.dateNote)
        rows += [_row("Date note", notes)]
        # each reporting article's evidence node names the rule that read the fact there
        records = reader.refs(node, VNKG.attestedBy)
        rules = sorted({r for e in records for r in reader.texts(e, VNKG.rule)})
        confidences = [float(c) for e in records for c in reader.texts(e, VNKG.confidence)]
        if rules or confidences:
            confidence = f"confidence {max(confidences):g}" if confidences else ""
            rows.append(_row("Found by", [" · ".join(x for x in (", ".join(rules), confidence) if x)]))
    info["rows"] = [r for r in rows if r]
    return info


def _articles(reader: _Reader) -> dict[str, dict]:
    articles = {}
    for article in sorted(s for s in reader.graph.subjects(RDF.type, SCHEMA.NewsArticle) if isinstance(s, URIRef)):
        articles[str(article)] = {
            "file": reader.text(article, VNKG.sourceFile) or "",
            "headline": reader.text(article, SCHEMA.headline) or "",
            "date": show_date(reader.text(article, SCHEMA.datePublished) or ""),
        }
    return articles


def _links(graph: Graph, nodes: dict[str, dict]) -> Iterator[tuple[str, str, str, str]]:
    """(source, target, relation, label) for every vnkg: property between two nodes."""
    seen = set()
    for s, p, o in graph.triples((None, None, None)):
        if not (isinstance(o, URIRef) and str(p).startswith(_VNKG_NS)) or p in SHORTCUTS:
            continue
        source, target = str(s), str(o)
        if source in nodes and target in nodes and source != target:
            relation = local_name(p)
            key = (source, target, relation)
            if key not in seen:
                seen.add(key)
                yield source, target, relation, LINK_LABELS.get(p, humanize(relation))


def _pagerank(ids: list[str], neighbours: dict[str, set[str]], *, damping: float = 0.85, rounds: int = 50) -> dict[str, float]:
    """PageRank on the undirected link graph (power iteration; isolated nodes spread evenly)."""
    n = len(ids)
    if not n:
        return {}
    rank = dict.fromkeys(ids, 1.0 / n)
    for _ in range(rounds):
        dangling = sum(rank[i] for i in ids if not neighbours[i])
        base = (1 - damping) / n + damping * dangling / n
        new = dict.fromkeys(ids, base)
        for i in ids:
            if neighbours[i]:
                share = damping * rank[i] / len(neighbours[i])
                for j in neighbours[i]:
                    new[j] += share
        change = sum(abs(new[i] - rank[i]) for i in ids)
        rank = new
        if change < 1e-9 * n:
            break
    return rank


def _countries(nodes: dict[str, dict], neighbours: dict[str, set[str]], graph: Graph) -> None:
    """Set each node's `countries`: the countries it belongs to or, for a fact, touches."""
    own: dict[str, set[str]] = {}
    for node_id, node in nodes.items():
        ref = URIRef(node_id)
        if node["kind"] == "country":
            own[node_id] = {node_id}
        elif node["kind"] == "person":
            own[node_id] = {str(c) for c in graph.objects(ref, VNKG.nationality)}
        elif node["kind"] in ("organization", "location"):
            own[node_id] = {str(c) for c in graph.objects(ref, VNKG.country)}
        elif node["kind"] == "position":
            found = {str(c) for c in graph.objects(ref, VNKG.ofCountry)}
            for org in graph.objects(ref, VNKG.ofOrganization):
                found |= {str(c) for c in graph.objects(org, VNKG.country)}
            own[node_id] = found
    for node_id, node in nodes.items():
        if node["kind"] in FACT_KINDS:
            found = set()
            for other in neighbours[node_id]:
                found |= own.get(other, set())
            node["countries"] = sorted(c for c in found if c in nodes)
        else:
            node["countries"] = sorted(c for c in own.get(node_id, set()) if c in nodes)


def _in_dates(node: dict, since: str | None, until: str | None) -> bool:
    if node["start"] is None:
        return False
    return (until is None or node["start"] <= until) and (since is None or node["end"] >= since)


def _resolve_focus(focus: str, nodes: dict[str, dict]) -> str:
    """The node id `focus` names: an IRI, an IRI's last part, or a label (diacritics optional)."""
    if focus in nodes:
        return focus
    def key(text: str) -> str:  # "pham-minh-chinh", "Phạm_Minh_Chính" and "pham minh chinh" are one name
        return fold(text)

    wanted = key(focus)
    exact = [i for i, n in nodes.items()
             if wanted in {key(n["label"]), key(local_name(i)), *map(key, n.get("alt", []))}]
    if len(exact) > 1:
        entities = [i for i in exact if nodes[i]["kind"] not in FACT_KINDS | {"position"}]
        exact = entities or exact
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise ViewError(f"--focus {focus!r} names several nodes ({', '.join(sorted(exact)[:5])}); pass one IRI instead")
    partial = sorted((i for i, n in nodes.items() if wanted and wanted in key(n["label"])),
                     key=lambda i: (nodes[i]["kind"] in FACT_KINDS, len(nodes[i]["label"]), i))
    if len(partial) == 1:
        return partial[0]
    if partial:
        names = ", ".join(repr(nodes[i]["label"]) for i in partial[:6])
        raise ViewError(f"--focus {focus!r} matches several nodes: {names}; give the full name or the IRI")
    raise ViewError(f"--focus {focus!r}: no person, country, organisation, place or fact has that name or IRI in "
                    "this graph; check the spelling (diacritics are optional), or open the page without --focus and search for it")


def neighbourhood(node_id: str, nodes: dict[str, dict], neighbours: dict[str, set[str]]) -> set[str]:
    """The node, its neighbours, and what its facts and positions link to (the people and places of its facts)."""
    keep = {node_id} | neighbours[node_id]
    for other in list(neighbours[node_id]):
        if nodes[other]["kind"] in FACT_KINDS or nodes[other]["kind"] == "position":
            keep |= neighbours[other]
    return keep


def _rank(nodes: dict[str, dict], neighbours: dict[str, set[str]]) -> None:
    """Set each node's `rank` (0 = most important), `importance` (PageRank, 1 = top) and drawn `size`.

    A fact (or position) ranks below the least important node it links, so the most
    important N nodes of a large graph never show a fact without its people;
    FACT_WEIGHT leaves room for more people and countries before their facts.
    """
    ids = sorted(nodes)
    importance = _pagerank(ids, neighbours)

    def standing(i: str) -> tuple:
        if (nodes[i]["kind"] in FACT_KINDS or nodes[i]["kind"] == "position") and neighbours[i]:
            return (-FACT_WEIGHT * min(importance[o] for o in neighbours[i]), 1, -importance[i])
        return (-importance[i], 0, 0.0)

    order = sorted(ids, key=lambda i: (*standing(i), KINDS.index(nodes[i]["kind"]), nodes[i]["label"], i))
    top = max(importance.values(), default=1.0) or 1.0
    for rank, node_id in enumerate(order):
        node = nodes[node_id]
        node["rank"] = rank
        node["importance"] = round(importance[node_id] / top, 4)
        node["size"] = round(16 + 34 * (importance[node_id] / top) ** 0.5, 1)


def graph_to_view(graph: Graph, *, focus: str | None = None, since: str | None = None,
                  until: str | None = None) -> dict:
    """The page's data for `graph`: nodes (kind, label, dates, details, importance), links, timeline, sources.

    `edges` are the graph's links between nodes (a visit node to its visitor...); `links`
    are the people view's: one per visit from the visitor to the destination, and between
    the participants of each meeting (see kg.viz.travels, which also adds the map's arcs
    and the profiles of people and countries).

    `since`/`until` (YYYY, YYYY-MM or YYYY-MM-DD) keep the facts whose dates overlap
    the range, the entities they link and the positions those people hold; undated
    facts are left out when either is given. `focus` (a name or an IRI) keeps one
    node and its neighbourhood: its facts and the people, places and countries in them.
    """
    lo, hi = bound(since, end=False, option="--since"), bound(until, end=True, option="--until")
    if lo and hi and lo > hi:
        raise ViewError(f"--since {since} is after --until {until}; swap them")
    reader = _Reader(graph)

    nodes: dict[str, dict] = {}
    for subject in set(graph.subjects(RDF.type, None)):
        if not isinstance(subject, URIRef):
            continue
        kind = _kind(graph, subject)
        if kind is None:
            continue
        node = {"id": str(subject), "kind": kind}
        node.update(_describe(reader, subject, kind))
        nodes[str(subject)] = node

    links = list(_links(graph, nodes))
    neighbours: dict[str, set[str]] = {i: set() for i in nodes}
    for source, target, _, _ in links:
        neighbours[source].add(target)
        neighbours[target].add(source)

    keep = set(nodes)
    if lo or hi:
        facts = {i for i, n in nodes.items() if n["kind"] in FACT_KINDS and _in_dates(n, lo, hi)}
        keep = set(facts)
        for fact in facts:
            keep |= {o for o in neighbours[fact] if nodes[o]["kind"] not in FACT_KINDS}
        for person in [i for i in keep if nodes[i]["kind"] == "person"]:
            keep |= {o for o in neighbours[person] if nodes[o]["kind"] == "position"}
    focus_id = None
    if focus:
        focus_id = _resolve_focus(focus, nodes)
        if focus_id not in keep:
            raise ViewError(f"--focus {focus!r} ({focus_id}) takes part in no fact dated between "
                            f"{lo or 'the beginning'} and {hi or 'now'}; widen --since/--until or drop --focus")
        sub = {i: neighbours[i] & keep for i in keep}
        keep = neighbourhood(focus_id, nodes, sub)
    if keep != set(nodes):
        nodes = {i: n for i, n in nodes.items() if i in keep}
        links = [link for link in links if link[0] in keep and link[1] in keep]
        neighbours = {i: neighbours[i] & keep for i in keep}

    _countries(nodes, neighbours, graph)
    for node_id, node in nodes.items():
        node["degree"] = len(neighbours[node_id])
        if node["kind"] not in FACT_KINDS and node["kind"] != "position":
            facts = [o for o in neighbours[node_id] if nodes[o]["kind"] in FACT_KINDS]
            node["facts"] = sorted(facts, key=lambda f: (nodes[f]["start"] or "9999", nodes[f]["label"], f))

    _rank(nodes, neighbours)
    from kg.viz.travels import add_travels

    people_links = add_travels(graph, nodes)
    articles = _articles(reader)
    used = {a for n in nodes.values() for a in n.get("sources", [])}
    timeline = sorted(
        ({"id": i, "kind": n["kind"], "start": n["start"], "end": n["end"], "when": n["when"], "order": n["order"],
          "type": n.get("type", ""), "who": n.get("who", []), "where": n.get("where", []), "summary": n["summary"]}
         for i, n in nodes.items() if n["kind"] in ("visit", "meeting")),
        # Dated entries first, in date order; then those with a day but no year; then undated ones.
        key=lambda e: (e["order"] is None, (e["order"] or "").startswith("--"), e["order"] or "",
                       e["end"] or "", e["summary"], e["id"]))
    by_kind = {kind: sum(1 for n in nodes.values() if n["kind"] == kind) for kind in KINDS}
    edges = [{"id": f"e{k}", "source": s, "target": t, "rel": r, "label": label}
             for k, (s, t, r, label) in enumerate(sorted(links))]
    log.debug("view: %d nodes, %d links, %d timeline entries", len(nodes), len(edges), len(timeline))
    return {
        "nodes": sorted(nodes.values(), key=lambda n: n["rank"]),
        "edges": edges,
        "links": people_links,
        "timeline": timeline,
        "articles": {a: articles[a] for a in sorted(used) if a in articles},
        "countries": sorted(({"id": i, "label": n["label"]} for i, n in nodes.items() if n["kind"] == "country"),
                            key=lambda c: fold(c["label"])),
        "stats": {"nodes": len(nodes), "edges": len(edges), "by_kind": by_kind},
        "kinds": [{"kind": k, "label": KIND_LABELS[k], "plural": KIND_PLURALS[k], "fact": k in FACT_KINDS} for k in KINDS],
        "focus": focus_id,
        "since": lo,
        "until": hi,
    }
