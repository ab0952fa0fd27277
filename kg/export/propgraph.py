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

The model is built in bounded memory, from the sorted lines of the source (source.py):

1. one pass over the subjects writes, per node, its IRI, labels, name and source file
   (in subject order), and, per IRI-valued triple, a reference keyed by its object;
2. the references, sorted by object, are joined with the nodes: each learns whether its
   object is a node, and that node's label, name and source file; the result is sorted
   back by subject;
3. a second pass over the subjects, beside their resolved references, makes the nodes
   (properties, sources, readable labels) and the relationships (with the VISITED and
   MET_WITH shortcuts); nodes go to one file per label set, relationships are sorted.

`stream_property_graph` gives the model on disk (nodes and relationships read as often
as a writer needs); `to_property_graph` the same model in memory, for the writers that
need it whole (GraphML, GEXF). This module only builds the model; writers live in
their own modules.
"""
from __future__ import annotations

import datetime as dt
import functools
import itertools
import logging
import math
import pickle
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from kg.export import spool
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

_VNKG_TERM = "<" + T.VNKG


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


class GraphModel:
    """What every writer reads: nodes grouped by label set, relationships grouped by
    (start label, type, end label), and the counts. Both models below provide it."""

    source: str
    skipped_blank_triples: int

    def node_groups(self) -> Iterator[tuple[tuple[str, ...], Iterator[Node]]]:
        raise NotImplementedError

    def rel_groups(self) -> Iterator[tuple[tuple[str, str, str], Iterator[Rel]]]:
        raise NotImplementedError

    def counts(self) -> dict[str, int]:
        raise NotImplementedError

    @property
    def node_count(self) -> int:
        raise NotImplementedError

    @property
    def rel_count(self) -> int:
        raise NotImplementedError

    def iter_nodes(self) -> Iterator[Node]:
        for _labels, nodes in self.node_groups():
            yield from nodes

    def iter_rels(self) -> Iterator[Rel]:
        for _key, rels in self.rel_groups():
            yield from rels

    def primary_labels(self) -> list[str]:
        """Primary labels, in node order, each once."""
        seen: dict[str, None] = {}
        for labels, _nodes in self.node_groups():
            seen.setdefault(labels[0], None)
        return list(seen)


@dataclass
class PropertyGraph(GraphModel):
    """The model in memory: nodes sorted by (primary label, IRI), relationships by (type, start, end)."""

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

    @property
    def node_count(self) -> int:
        return len(self.nodes)

    @property
    def rel_count(self) -> int:
        return len(self.rels)

    def node_groups(self):
        groups: dict[tuple[str, ...], list[Node]] = {}
        for node in self.nodes:
            groups.setdefault(node.labels, []).append(node)
        for labels, nodes in groups.items():
            yield labels, iter(nodes)

    def rel_groups(self):
        primary = {n.uri: n.label for n in self.nodes}
        groups: dict[tuple[str, str, str], list[Rel]] = {}
        for rel in self.rels:
            groups.setdefault((primary[rel.start], rel.type, primary[rel.end]), []).append(rel)
        for key, rels in groups.items():
            yield key, iter(rels)


class StreamedPropertyGraph(GraphModel):
    """The model on disk: nodes in one file per label set, relationships in one sorted file.

    Nodes come by label set (Person first, as LABEL_ORDER), each set in IRI order;
    relationships by (type, start label, end label, start, end). Each read goes
    through the files again; nothing is kept in memory but the counts.
    """

    def __init__(self, *, source: str, node_files: dict[tuple[str, ...], Path], rel_file: Path,
                 node_counts: dict[str, int], rel_counts: dict[str, int], listy: dict[str, set[str]],
                 floaty: dict[str, set[str]], skipped_blank_triples: int):
        self.source = source
        self.node_files = dict(sorted(node_files.items(), key=lambda kv: (_label_rank(kv[0][0]), kv[0])))
        self.rel_file = rel_file
        self.node_counts = node_counts
        self.rel_counts = rel_counts
        self.listy = listy
        self.floaty = floaty
        self.skipped_blank_triples = skipped_blank_triples

    @property
    def node_count(self) -> int:
        return sum(self.node_counts.values())

    @property
    def rel_count(self) -> int:
        return sum(self.rel_counts.values())

    def counts(self) -> dict[str, int]:
        ordered = sorted(self.node_counts, key=lambda lab: (_label_rank(lab), lab))
        return {**{lab: self.node_counts[lab] for lab in ordered}, **dict(sorted(self.rel_counts.items()))}

    def node_groups(self):
        for labels, path in self.node_files.items():
            yield labels, self._read_nodes(labels, path)

    def _read_nodes(self, labels: tuple[str, ...], path: Path) -> Iterator[Node]:
        listy, floaty = self.listy.get(labels[0], set()), self.floaty.get(labels[0], set())
        keys = listy | floaty
        load = pickle.load
        with path.open("rb") as handle:
            while True:
                try:
                    uri, props = load(handle)
                except EOFError:
                    return
                if keys:
                    _unify(props, keys, listy, floaty)
                yield Node(uri, labels, props)

    def rel_groups(self):
        rows = (line[:-1].split("\t") for line in spool.read_lines(self.rel_file))
        for (rtype, start_label, end_label), group in itertools.groupby(rows, key=lambda r: (r[0], r[1], r[2])):
            yield (start_label, rtype, end_label), (Rel(r[3], rtype, r[4]) for r in group)


@functools.lru_cache(maxsize=4096)
def rel_type_name(predicate: str) -> str:
    """`vnkg:holdsPosition` -> HOLDS_POSITION."""
    if predicate in REL_TYPE_NAMES:
        return REL_TYPE_NAMES[predicate]
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", T.local_name(predicate))
    return re.sub(r"[^A-Za-z0-9_]+", "_", name).upper().strip("_") or "RELATED_TO"


def convert_value(value: str, datatype: str) -> tuple[object, str | None]:
    """A literal's value (lexical form, datatype IRI) for a property graph, and its date precision when a date."""
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
    """The model in memory (see module docstring), for writers that need the whole graph at once."""
    model = stream_property_graph(source)
    nodes = sorted(model.iter_nodes(), key=lambda n: (_label_rank(n.label), n.label, n.uri))
    rels = sorted(model.iter_rels(), key=lambda r: (r.type, r.start, r.end))
    return PropertyGraph(nodes, rels, source=model.source, skipped_blank_triples=model.skipped_blank_triples)


def stream_property_graph(source: SourceGraph) -> StreamedPropertyGraph:
    """The model on disk, in the source's work folder (see module docstring)."""
    cached = source.derived.get("propgraph")
    if isinstance(cached, StreamedPropertyGraph):
        return cached
    work = source.work / "propgraph"
    work.mkdir(exist_ok=True)
    info_file = work / "nodes-info.tsv"
    predicates, skipped, refs = _describe_subjects(source, info_file, work)
    back = _resolve_references(refs, info_file, work)
    model = _make_model(source, back, _property_names(predicates), skipped, work)
    info_file.unlink()
    if skipped:
        log.warning("%s: %d triples with blank nodes have no IRI to key a node on; they are left out",
                    source.path, skipped)
    source.derived["propgraph"] = model
    return model


# -- pass 1: what each node is, and every IRI-valued triple keyed by its object ---------------------------------

def _describe_subjects(source: SourceGraph, info_file: Path, work: Path):
    predicates: set[str] = set()
    skipped = 0
    refs = spool.SortedRuns(work, "refs")
    with info_file.open("w", encoding="utf-8", newline="") as info:
        for s, group in spool.subject_groups(source.lines()):
            if s[0] != "<":
                skipped += len(group)
                continue
            is_node = not s.startswith(_VNKG_TERM)
            types, names, files = [], [], []
            for p, o in group:
                kind = o[0]
                if kind == "_":
                    skipped += 1
                    continue
                predicates.add(p)
                if p == T.RDF_TYPE:
                    if kind == "<":
                        types.append(o[1:-1])
                elif kind == "<":
                    if not o.startswith(_VNKG_TERM):
                        refs.add(f"{o}\t{s}\t{p}\n")
                elif is_node:
                    if p == T.RDFS_LABEL:
                        names.append(o)
                    elif p == T.VNKG_SOURCEFILE:
                        files.append(o)
            if is_node:
                uri = s[1:-1]
                name = _chosen_name(names)
                file = min(((spool.unescape(b), b) for b, _d, _l in map(spool.literal_parts, files)), default=None)
                info.write(f"{s}\t{_labels_of(uri, types)[0]}\t{name[1] if name else ''}\t"
                           f"{file[1] if file else ''}\n")
    return predicates, skipped, refs


def _labels_of(uri: str, types: list[str]) -> tuple[str, ...]:
    """A resource's labels from its classes; with none, the label of its IRI's kind (id/person/... -> Person)."""
    if types:
        labels = _labels_of_classes(tuple(types))
        if labels:
            return labels
    hit = T.kind_of(uri)
    return (T.KIND_LABELS[hit[1]],) if hit else (FALLBACK_LABEL,)


@functools.lru_cache(maxsize=1024)
def _labels_of_classes(types: tuple[str, ...]) -> tuple[str, ...]:
    found = set()
    for cls in types:
        label = CLASS_LABELS.get(cls)
        if label is None and cls.startswith(T.VNKG) and re.fullmatch(r"[A-Z]\w*", T.local_name(cls)):
            label = T.local_name(cls)
        if label:
            found.add(label)
    return tuple(sorted(found, key=lambda lab: (_label_rank(lab), lab)))


def _chosen_name(terms: list[str]) -> tuple[str, str] | None:
    """(value, escaped body) of the rdfs:label a node is named by: Vietnamese first, then untagged, then others."""
    by_key: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for term in terms:
        body, _dtype, lang = spool.literal_parts(term)
        lang = (lang or "").lower()
        by_key[lang if lang in ("vi", "") else _label_key(lang)].append((spool.unescape(body), body))
    for key in ("vi", "", *sorted(k for k in by_key if k.startswith("labels_"))):
        if by_key.get(key):
            return min(by_key[key])
    return None


def _label_key(lang: str) -> str:
    return f"labels_{re.sub(r'[^a-z0-9]+', '_', lang)}"


# -- pass 2: join the references with the nodes they point at -----------------------------------------------------

def _resolve_references(refs: spool.SortedRuns, info_file: Path, work: Path) -> spool.SortedRuns:
    """Per reference (keyed by subject): the object's node-ness, primary label, name and source file."""
    back = spool.SortedRuns(work, "back")
    info = spool.keyed_groups(spool.read_lines(info_file))
    current = next(info, None)
    for obj, group in spool.keyed_groups(refs.merged()):
        while current is not None and current[0] < obj:
            current = next(info, None)
        if current is not None and current[0] == obj:
            _key, primary, name, file = current[1][0]
            flag = "n"
        elif hit := T.kind_of(obj[1:-1]):
            # A minted resource nothing describes is a node all the same, named after its kind.
            primary, name, file, flag = T.KIND_LABELS[hit[1]], "", "", "n"
            back.add(f"{obj}\t\t\t*\t{primary}\t\t\n")
        else:
            primary, name, file, flag = "", "", "", "p"
        for _obj, subject, pred in group:
            back.add(f"{subject}\t{pred}\t{obj}\t{flag}\t{primary}\t{name}\t{file}\n")
    return back


# -- pass 3: nodes and relationships ------------------------------------------------------------------------------

class _Writer:
    """Node files per label set, the relationship spool, and what the shapes of the properties are."""

    def __init__(self, work: Path):
        self.work = work
        self.node_files: dict[tuple[str, ...], Path] = {}
        self.handles: dict[tuple[str, ...], object] = {}
        self.rels = spool.SortedRuns(work, "rels")
        self.node_counts: dict[str, int] = defaultdict(int)
        self.listy: dict[str, set[str]] = defaultdict(set)
        self.floaty: dict[str, set[str]] = defaultdict(set)

    def node(self, uri: str, labels: tuple[str, ...], props: dict) -> None:
        handle = self.handles.get(labels)
        if handle is None:
            path = self.work / f"nodes-{len(self.node_files):03d}.pickle"
            self.node_files[labels] = path
            handle = self.handles[labels] = path.open("wb")
        pickle.dump((uri, props), handle, protocol=pickle.HIGHEST_PROTOCOL)
        label = labels[0]
        self.node_counts[label] += 1
        for k, v in props.items():
            if isinstance(v, list):
                self.listy[label].add(k)
                if any(isinstance(x, float) for x in v):
                    self.floaty[label].add(k)
            elif isinstance(v, float):
                self.floaty[label].add(k)

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()


def _make_model(source: SourceGraph, back: spool.SortedRuns, prop_names: dict[str, str], skipped: int,
                work: Path) -> StreamedPropertyGraph:
    out = _Writer(work)
    resolved = spool.keyed_groups(back.merged())
    pending = next(resolved, None)
    try:
        for s, group in spool.subject_groups(source.lines()):
            while pending is not None and pending[0] < s:
                _bare_node(out, pending)
                pending = next(resolved, None)
            refs: list = []
            if pending is not None and pending[0] == s:
                refs = pending[1]
                pending = next(resolved, None)
            if s[0] == "<" and not s.startswith(_VNKG_TERM):
                _node(out, s[1:-1], group, refs, prop_names)
        while pending is not None:
            _bare_node(out, pending)
            pending = next(resolved, None)
    finally:
        out.close()
    rel_file = work / "rels.tsv"
    rel_counts: dict[str, int] = defaultdict(int)
    with rel_file.open("w", encoding="utf-8", newline="") as handle:
        for line in out.rels.merged():
            handle.write(line)
            rel_counts[line[:line.index("\t")]] += 1
    return StreamedPropertyGraph(source=str(source.path), node_files=out.node_files, rel_file=rel_file,
                                 node_counts=dict(out.node_counts), rel_counts=dict(rel_counts),
                                 listy=dict(out.listy), floaty=dict(out.floaty), skipped_blank_triples=skipped)


def _bare_node(out: _Writer, pending) -> None:
    """A node that only appears as an object: labelled by its kind, named by its IRI."""
    key, rows = pending
    marker = next((r for r in rows if r[3] == "*"), None)
    if marker is None:
        return  # references from a subject that is not a node (vocabulary, blank)
    uri, labels = key[1:-1], (marker[4],)
    out.node(uri, labels, {"label": _composed_label(labels[0], uri, {}, {})})


# Relationship types whose targets' names make up the readable label of a node that has none.
_NAMING_TYPES = frozenset({"VISITOR", "DESTINATION", "PARTICIPANT", "PARTY", "BETWEEN", "FROM_COUNTRY", "TO_COUNTRY",
                           "OF_COUNTRY", "OF_ORGANIZATION"})


def _node(out: _Writer, uri: str, group: list[tuple[str, str]], refs: list, prop_names: dict[str, str]) -> None:
    rdf_type = T.RDF_TYPE
    types = [o[1:-1] for p, o in group if p == rdf_type and o[0] == "<"]
    labels = _labels_of(uri, types)
    label = labels[0]
    values: dict[str, list] = defaultdict(list)
    for p, o in group:
        kind = o[0]
        if kind == '"':
            _add_literal(values, p, o, prop_names)
        elif kind == "<" and p != rdf_type and o.startswith(_VNKG_TERM):
            values[prop_names[p]].append(_local_name(o[1:-1]))
    targets: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # type -> (end, end label, end name)
    add_rel = out.rels.add
    for _s, pred, obj, flag, primary, name, file in refs:
        end = obj[1:-1]
        if flag == "p":
            values[prop_names[pred]].append(end)
            continue
        rtype = rel_type_name(pred)
        targets[rtype].append((end, primary, name))
        add_rel(f"{rtype}\t{label}\t{primary}\t{uri}\t{end}\n")
        if pred == T.PROV_DERIVED:
            values["sources"].append(spool.unescape(file) if file else end)
    for visitor, vlabel, _n in targets.get("VISITOR", ()):
        for dest, dlabel, _n2 in targets.get("DESTINATION", ()):
            add_rel(f"VISITED\t{vlabel}\t{dlabel}\t{visitor}\t{dest}\n")
    people = targets.get("PARTICIPANT", ())
    for a, alabel, _n in people:
        for b, blabel, _n2 in people:
            if a != b:
                add_rel(f"MET_WITH\t{alabel}\t{blabel}\t{a}\t{b}\n")
    props = _finish_values(values)
    if "label" not in props:
        names = {rtype: [spool.unescape(name) if name else T.local_name(end) for end, _l, name in sorted(set(ends))]
                 for rtype, ends in targets.items() if rtype in _NAMING_TYPES}
        props = {"label": _composed_label(label, uri, props, names), **props}
    out.node(uri, labels, props)


_local_name = functools.lru_cache(maxsize=4096)(T.local_name)


def _label_rank(label: str) -> int:
    return LABEL_ORDER.index(label) if label in LABEL_ORDER else len(LABEL_ORDER)


def _property_names(predicates: set[str]) -> dict[str, str]:
    """A property name for every predicate, unique across namespaces (`schema_name` on a clash)."""
    reserved = {"uri", "label", "alt_labels", "evidence", "sources"}
    by_local: dict[str, list[str]] = defaultdict(list)
    names = {}
    for pred in sorted(predicates):
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


def _add_literal(values: dict[str, list], pred: str, term: str, prop_names) -> None:
    body, datatype, lang = spool.literal_parts(term)
    text = spool.unescape(body)
    if pred == T.RDFS_LABEL:
        lang = (lang or "").lower()
        key = {"vi": "_label_vi", "": "_label_plain"}.get(lang) or _label_key(lang)
        values[key].append(text)
        return
    name = prop_names[pred]
    value, precision = convert_value(text, datatype)
    values[name].append(value)
    if precision:
        values[name + PRECISION_SUFFIX].append(precision)


def _finish_values(raw: dict[str, list]) -> dict[str, object]:
    """Pick `label` among the rdfs:labels, sort and de-duplicate, collapse single values."""
    vi, plain = sorted(set(raw.pop("_label_vi", ()))), sorted(set(raw.pop("_label_plain", ())))
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
        vals = raw[key]
        if len(vals) > 1:
            vals = _dedupe(vals)
            if len({type(v) for v in vals}) > 1:
                # Graph databases want lists of one type: mixed dates and partial dates become ISO text.
                numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in vals)
                vals = _dedupe([float(v) if numeric else (v.isoformat() if hasattr(v, "isoformat") else str(v))
                                for v in vals])
        if len(vals) > 1 or key in ALWAYS_ARRAYS or key.startswith("labels_"):
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


def _unify(props: dict, keys: set[str], listy: set[str], floaty: set[str]) -> dict:
    """Per primary label, a property is a list on every node once it is a list on one, and an int
    column holding a float becomes float: queries and CSV columns keep one shape. `keys`: listy | floaty."""
    for k in keys:
        v = props.get(k)
        if v is None:
            continue
        if k in floaty:
            v = [float(x) if isinstance(x, int) and not isinstance(x, bool) else x for x in v] \
                if isinstance(v, list) else (float(v) if isinstance(v, int) and not isinstance(v, bool) else v)
        if k in listy and not isinstance(v, list):
            v = [v]
        props[k] = v
    return props


def _composed_label(kind: str, uri: str, props: dict, names: dict[str, list[str]]) -> str:
    """A readable Vietnamese label for a node the graph gives no rdfs:label (facts, positions);
    `names` holds, per relationship type, the names of the nodes it points at (sorted by IRI)."""

    def named(rel_type: str) -> list[str]:
        return [str(n) for n in names.get(rel_type, [])]

    def when() -> str:
        for key in ("startDate", "date", "signedOn"):
            v = props.get(key)
            if v:
                v = v[0] if isinstance(v, list) else v
                return f", {v.isoformat() if hasattr(v, 'isoformat') else v}"
        return ""

    if kind == "Position" and props.get("title"):
        title = props["title"][0] if isinstance(props["title"], list) else props["title"]
        where = named("OF_COUNTRY") or named("OF_ORGANIZATION")
        return f"{title} {where[0]}" if where else str(title)
    if kind == "Article":
        return str(props.get("headline") or props.get("sourceFile") or T.local_name(uri))
    if kind == "Visit":
        who, where = ", ".join(named("VISITOR")) or "?", ", ".join(named("DESTINATION")) or "?"
        return f"{who} thăm {where}{when()}"
    if kind == "Meeting":
        mtype = props.get("meetingType")
        mtype = mtype[0] if isinstance(mtype, list) else mtype
        return f"{MEETING_WORDS.get(mtype, 'Gặp')} {' – '.join(named('PARTICIPANT'))}{when()}"
    if kind == "Agreement":
        return f"Thỏa thuận {' – '.join(named('PARTY'))}{when()}"
    if kind == "EconomicFigure":
        ind = props.get("indicator")
        ind = ind[0] if isinstance(ind, list) else ind
        between = named("BETWEEN")
        pair = " – ".join(between) if between else " → ".join(named("FROM_COUNTRY") + named("TO_COUNTRY"))
        period = props.get("period")
        period = period[0] if isinstance(period, list) else period
        return " ".join(str(x) for x in (INDICATOR_WORDS.get(ind, ind or "Số liệu"), pair, period) if x)
    return T.local_name(uri)
