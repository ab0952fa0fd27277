"""RDF -> property graph: the one model behind the Neo4j, GraphML, GEXF and CSV outputs.

Resources become nodes labelled by their class (Person, Country, Organization,
Location, Position, Article, Visit, Meeting, Agreement, EconomicFigure); IRI-valued
properties become relationships pointing from the subject to the object, named
after the property (`vnkg:visitor` -> VISITOR, `vnkg:holdsPosition` -> HOLDS_POSITION,
`prov:wasDerivedFrom` -> DERIVED_FROM); literals become node properties. The RDF
reads left to right and so does the property graph:

    (:Visit)-[:VISITOR]->(:Person)        (:Visit)-[:DESTINATION]->(:Country)
    (:Meeting)-[:PARTICIPANT]->(:Person)  (:Person)-[:HOLDS_POSITION]->(:Position)
    (:Article)-[:MENTIONS]->(:Person)     (:Visit)-[:DERIVED_FROM]->(:Article)
    (:Person)-[:VISITED]->(:Country)      (:Person)-[:MET_WITH]->(:Person)

Values of the ontology's enumerations (vnkg:StateVisit, vnkg:Talks, vnkg:Trade...)
are kept as string properties (`visitType: "StateVisit"`), not as nodes.

This module only builds the model; writers live in their own modules.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

from kg.export import terms as T
from kg.export.source import SourceGraph

log = logging.getLogger(__name__)

# Primary label first: a resource typed with several classes is merged on the first.
LABEL_ORDER = ("Person", "Country", "Organization", "Location", "Position", "Article",
               "Visit", "Meeting", "Agreement", "EconomicFigure")
CLASS_LABELS = {T.VNKG + name: name for name in LABEL_ORDER if name != "Article"}
CLASS_LABELS[T.SCHEMA_ARTICLE] = "Article"
FALLBACK_LABEL = "Resource"

# Property names that always hold lists, so a query or a CSV column does not change shape
# with the data.
ALWAYS_ARRAYS = {"alt_labels", "evidence", "sources"}

REL_TYPE_NAMES = {
    T.PROV_DERIVED: "DERIVED_FROM",
    T.SCHEMA_MENTIONS: "MENTIONS",
}
PROPERTY_NAMES = {
    T.SKOS_ALTLABEL: "alt_labels",
    T.VNKG_EVIDENCE: "evidence",
}

# xsd datatypes of dates, with the precision word stored beside a value that is not a full date.
DATE_PRECISION = {
    T.XSD + "date": "day",
    T.XSD + "dateTime": "datetime",
    T.XSD + "dateTimeStamp": "datetime",
    T.XSD + "gYearMonth": "month",
    T.XSD + "gYear": "year",
    T.XSD + "gMonthDay": "month-day",
    T.XSD + "gMonth": "month-of-year",
    T.XSD + "gDay": "day-of-month",
}
PRECISION_SUFFIX = "Precision"
_FLOATS = {T.XSD + n for n in ("decimal", "double", "float")}
_INTS = {T.XSD + n for n in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
                             "nonPositiveInteger", "negativeInteger", "unsignedInt", "unsignedLong",
                             "unsignedShort", "unsignedByte")}

# Vietnamese words for the readable labels of fact nodes, keyed by enumeration local name.
MEETING_WORDS = {"Talks": "Hội đàm", "Reception": "Tiếp", "CourtesyCall": "Hội kiến", "Encounter": "Gặp"}
INDICATOR_WORDS = {"Trade": "Thương mại", "Export": "Xuất khẩu", "Import": "Nhập khẩu",
                   "TradeTarget": "Mục tiêu thương mại", "RegisteredInvestment": "Vốn đầu tư đăng ký",
                   "RealizedInvestment": "Vốn đầu tư thực hiện"}


@dataclass
class Node:
    """A node: its IRI, its labels (primary first) and its properties (never `uri`)."""

    uri: str
    labels: tuple[str, ...]
    props: dict[str, object] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return self.labels[0]


@dataclass(frozen=True)
class Rel:
    """A relationship from `start` to `end` (node IRIs) of one type."""

    start: str
    type: str
    end: str


@dataclass
class PropertyGraph:
    """Nodes sorted by (primary label, IRI), relationships by (type, start, end)."""

    nodes: list[Node]
    rels: list[Rel]
    source: str = ""
    skipped_blank_triples: int = 0

    def by_uri(self) -> dict[str, Node]:
        return {n.uri: n for n in self.nodes}

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for n in self.nodes:
            out[n.label] += 1
        for r in self.rels:
            out[r.type] += 1
        return dict(out)


@functools.lru_cache(maxsize=4096)
def rel_type_name(predicate: str) -> str:
    """`vnkg:holdsPosition` -> HOLDS_POSITION."""
    if predicate in REL_TYPE_NAMES:
        return REL_TYPE_NAMES[predicate]
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", T.local_name(predicate))
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).upper().strip("_") or "RELATED_TO"


def convert_literal(lit) -> tuple[object, str | None]:
    """A literal's value for a property graph, and its date precision when it is a date."""
    value, datatype = lit.value, lit.datatype.value
    if datatype in DATE_PRECISION:
        precision = DATE_PRECISION[datatype]
        try:
            if precision == "day":
                return dt.date.fromisoformat(value), precision
            if precision == "datetime":
                return dt.datetime.fromisoformat(value.replace("Z", "+00:00")), precision
        except ValueError:
            pass  # a time-zoned date ("2024-01-06Z") or an odd lexical form stays a string
        return value, precision
    if datatype in _FLOATS:
        try:
            number = float(value)
        except ValueError:
            return value, None
        return (number if math.isfinite(number) else value), None
    if datatype in _INTS:
        try:
            return int(value), None
        except ValueError:
            return value, None
    if datatype == T.XSD + "boolean":
        return value.strip() in ("true", "1"), None
    return value, None


def to_property_graph(source: SourceGraph) -> PropertyGraph:
    """Turn the triples of a built graph into the property-graph model (see module docstring)."""
    import pyoxigraph as ox

    subjects: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    skipped = 0
    for t in source.triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            skipped += 1
            continue
        subjects[t.subject.value][t.predicate.value].append(t.object)
    if skipped:
        log.warning("%s: %d triples with blank nodes have no IRI to key a node on; they are left out",
                    source.path, skipped)

    labels = _labels(subjects)
    prop_names = _property_names(subjects)
    nodes: dict[str, Node] = {uri: Node(uri, labs) for uri, labs in labels.items()}
    rels: set[Rel] = set()
    values: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))

    for uri, preds in subjects.items():
        if uri not in nodes:
            continue
        for pred, objects in preds.items():
            if pred == T.RDF_TYPE:
                continue
            for obj in objects:
                if isinstance(obj, ox.NamedNode):
                    if obj.value in nodes:
                        rels.add(Rel(uri, rel_type_name(pred), obj.value))
                        if pred == T.PROV_DERIVED:
                            values[uri]["sources"].append(_source_name(subjects, obj.value))
                    elif obj.value.startswith(T.VNKG):
                        values[uri][prop_names[pred]].append(T.local_name(obj.value))
                    else:
                        values[uri][prop_names[pred]].append(obj.value)
                else:
                    _add_literal(values[uri], pred, obj, prop_names)

    rels |= _shortcuts(rels)
    for uri, node in nodes.items():
        node.props = _finish_values(values.get(uri, {}))
    outgoing: dict[str, list[Rel]] = defaultdict(list)
    for r in rels:
        outgoing[r.start].append(r)
    for node in nodes.values():
        if "label" not in node.props:
            node.props = {"label": _composed_label(node, nodes, outgoing[node.uri]), **node.props}
    _unify_shapes(nodes.values())

    ordered = sorted(nodes.values(), key=lambda n: (_label_rank(n.label), n.label, n.uri))
    return PropertyGraph(ordered, sorted(rels, key=lambda r: (r.type, r.start, r.end)),
                         source=str(source.path), skipped_blank_triples=skipped)


def _label_rank(label: str) -> int:
    return LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER)


def _labels(subjects) -> dict[str, tuple[str, ...]]:
    """Labels of every resource that becomes a node: typed subjects, minted IRIs, linked IRIs."""
    import pyoxigraph as ox

    found: dict[str, set[str]] = defaultdict(set)
    for uri, preds in subjects.items():
        if uri.startswith(T.VNKG):
            continue  # vocabulary, not data
        for cls in preds.get(T.RDF_TYPE, ()):
            label = CLASS_LABELS.get(cls.value)
            if label is None and cls.value.startswith(T.VNKG) and re.fullmatch(r"[A-Z]\w*", T.local_name(cls.value)):
                label = T.local_name(cls.value)
            if label:
                found[uri].add(label)
        found.setdefault(uri, set())
    # Objects that are data resources become nodes too, even when nothing describes them.
    for uri, preds in list(subjects.items()):
        for pred, objects in preds.items():
            if pred == T.RDF_TYPE:
                continue
            for obj in objects:
                if isinstance(obj, ox.NamedNode) and obj.value not in found and T.kind_of(obj.value):
                    found[obj.value] = set()
    out = {}
    for uri, labs in found.items():
        if not labs:
            hit = T.kind_of(uri)
            labs = {T.KIND_LABELS[hit[1]]} if hit else {FALLBACK_LABEL}
        out[uri] = tuple(sorted(labs, key=lambda lab: (_label_rank(lab), lab)))
    return out


def _property_names(subjects) -> dict[str, str]:
    """A property name for every predicate, unique across namespaces (`schema_name` on a clash)."""
    reserved = {"uri", "label", "alt_labels", "evidence", "sources"}
    by_local: dict[str, list[str]] = defaultdict(list)
    predicates = sorted({p for preds in subjects.values() for p in preds})
    names = {}
    for pred in predicates:
        if pred in PROPERTY_NAMES or pred == T.RDFS_LABEL:
            continue
        local = re.sub(r"\W+", "_", T.local_name(pred)).strip("_") or "value"
        by_local[local].append(pred)
    prefix_of = {ns: p for p, ns in T.VOCAB_PREFIXES.items()}
    for local, preds in by_local.items():
        preds.sort(key=lambda p: (not p.startswith(T.VNKG), p))
        for i, pred in enumerate(preds):
            if i == 0 and local not in reserved:
                names[pred] = local
            else:
                ns = pred[: len(pred) - len(T.local_name(pred))]
                names[pred] = f"{prefix_of.get(ns, 'ns' + str(i))}_{local}"
    names.update(PROPERTY_NAMES)
    names[T.RDFS_LABEL] = "label"
    return names


def _add_literal(values: dict[str, list], pred: str, lit, prop_names) -> None:
    if pred == T.RDFS_LABEL:
        lang = (lit.language or "").lower()
        key = {"vi": "_label_vi", "": "_label_plain"}.get(lang, f"labels_{re.sub(r'[^a-z0-9]+', '_', lang)}")
        values[key].append(lit.value)
        return
    name = prop_names[pred]
    value, precision = convert_literal(lit)
    values[name].append(value)
    if precision:
        values[name + PRECISION_SUFFIX].append(precision)


def _finish_values(raw: dict[str, list]) -> dict[str, object]:
    """Pick `label` among the rdfs:labels, sort and de-duplicate, collapse single values."""
    raw = {k: list(v) for k, v in raw.items()}
    vi, plain = sorted(set(raw.pop("_label_vi", []))), sorted(set(raw.pop("_label_plain", [])))
    chosen = (vi or plain or [None])[0]
    if chosen is None:
        for key in sorted(k for k in raw if k.startswith("labels_")):
            chosen = sorted(raw[key])[0]
            break
    rest = [v for v in vi + plain if v != chosen]
    if rest:
        raw.setdefault("alt_labels", []).extend(rest)
    props: dict[str, object] = {}
    if chosen is not None:
        props["label"] = chosen
    for key in sorted(raw):
        vals = _dedupe(raw[key])
        if len({type(v) for v in vals}) > 1:
            # Graph databases want lists of one type: mixed dates and partial dates become ISO text.
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)
            vals = _dedupe([float(v) if numeric else (v.isoformat() if hasattr(v, "isoformat") else str(v))
                            for v in vals])
        if key in ALWAYS_ARRAYS or key.startswith("labels_") or len(vals) > 1:
            props[key] = vals
        else:
            props[key] = vals[0]
    return props


def _dedupe(vals: list) -> list:
    seen, out = set(), []
    for v in sorted(vals, key=lambda v: (type(v).__name__, str(v))):
        if (type(v), v) not in seen:
            seen.add((type(v), v))
            out.append(v)
    return out


def _unify_shapes(nodes) -> None:
    """Per primary label, a property is a list on every node once it is a list on one,
    and an int column holding a float becomes float: queries and CSV columns keep one shape."""
    listy: dict[str, set[str]] = defaultdict(set)
    floaty: dict[str, set[str]] = defaultdict(set)
    for n in nodes:
        for k, v in n.props.items():
            items = v if isinstance(v, list) else [v]
            if isinstance(v, list):
                listy[n.label].add(k)
            if any(isinstance(x, float) for x in items):
                floaty[n.label].add(k)
    for n in nodes:
        for k, v in list(n.props.items()):
            if k in floaty[n.label]:
                v = [float(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in v] \
                    if isinstance(v, list) else (float(v) if isinstance(v, int) and not isinstance(v, bool) else v)
            if k in listy[n.label] and not isinstance(v, list):
                v = [v]
            n.props[k] = v


def _source_name(subjects, article: str) -> str:
    files = subjects.get(article, {}).get(T.VNKG_SOURCEFILE, [])
    return sorted(f.value for f in files)[0] if files else article


def _shortcuts(rels: set[Rel]) -> set[Rel]:
    """VISITED and MET_WITH from the Visit and Meeting nodes, for graphs that lack them."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in rels:
        if r.type in ("VISITOR", "DESTINATION", "PARTICIPANT"):
            out[r.start][r.type].append(r.end)
    short = set()
    for fact in out.values():
        for visitor in fact.get("VISITOR", ()):
            for dest in fact.get("DESTINATION", ()):
                short.add(Rel(visitor, "VISITED", dest))
        people = fact.get("PARTICIPANT", ())
        for a in people:
            for b in people:
                if a != b:
                    short.add(Rel(a, "MET_WITH", b))
    return short


def _composed_label(node: Node, nodes: dict[str, Node], rels: list[Rel]) -> str:
    """A readable Vietnamese label for a node the graph gives no rdfs:label (facts, positions)."""
    props = node.props

    def names(rel_type: str) -> list[str]:
        targets = sorted(r.end for r in rels if r.type == rel_type)
        return [str(nodes[t].props.get("label") or T.local_name(t)) for t in targets]

    def when() -> str:
        for key in ("startDate", "date", "signedOn"):
            v = props.get(key)
            if v:
                v = v[0] if isinstance(v, list) else v
                return f", {v.isoformat() if hasattr(v, 'isoformat') else v}"
        return ""

    kind = node.label
    if kind == "Position" and props.get("title"):
        title = props["title"][0] if isinstance(props["title"], list) else props["title"]
        where = names("OF_COUNTRY") or names("OF_ORGANIZATION")
        return f"{title} {where[0]}" if where else str(title)
    if kind == "Article":
        return str(props.get("headline") or props.get("sourceFile") or T.local_name(node.uri))
    if kind == "Visit":
        who, where = ", ".join(names("VISITOR")) or "?", ", ".join(names("DESTINATION")) or "?"
        return f"{who} thăm {where}{when()}"
    if kind == "Meeting":
        mtype = props.get("meetingType")
        mtype = mtype[0] if isinstance(mtype, list) else mtype
        return f"{MEETING_WORDS.get(mtype, 'Gặp')} {' – '.join(names('PARTICIPANT'))}{when()}"
    if kind == "Agreement":
        return f"Thỏa thuận {' – '.join(names('PARTY'))}{when()}"
    if kind == "EconomicFigure":
        ind = props.get("indicator")
        ind = ind[0] if isinstance(ind, list) else ind
        between = names("BETWEEN")
        pair = " – ".join(between) if between else " → ".join(names("FROM_COUNTRY") + names("TO_COUNTRY"))
        period = props.get("period")
        period = period[0] if isinstance(period, list) else period
        return " ".join(str(x) for x in (INDICATOR_WORDS.get(ind, ind or "Số liệu"), pair, period) if x)
    return T.local_name(node.uri)
