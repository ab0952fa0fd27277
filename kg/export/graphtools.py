"""GraphML, GEXF and node/edge CSV for Gephi, Cytoscape, yEd and igraph.

The property graph (propgraph.py) as a networkx MultiDiGraph: node ids are compact,
valid XML names (`person:luong-cuong`, `visit:5d41402abc4b2a76`); every node has
`label`, `type` (its primary label) and `uri`, plus its other properties flattened
(dates as ISO text with their `...Precision`, lists joined with "; "); every edge has
`relation` (VISITED, MET_WITH, VISITOR...). Output is sorted and written atomically:
the same graph gives the same bytes.

GEXF also carries what Gephi draws and plays: each node's colour (by type, as on the
graph page), size (by its number of links) and position (the page's layout), and time:
a visit, meeting, agreement or figure lives for its dates, an article from its
publication on, and the links of a fact for the fact's dates — VISITED and MET_WITH for
the dates of every visit or meeting behind them — so Gephi's timeline plays who went
where and met whom. Text that XML 1.0 cannot hold (control characters, lone surrogates)
is left out of GraphML and GEXF, so every file is well-formed whatever a literal holds.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import math
import re
from collections import defaultdict
from pathlib import Path

from kg.export import terms as T
from kg.export.files import atomic_output, output_folder, write_text
from kg.export.propgraph import PropertyGraph

LIST_JOIN = "; "
_NMTOKEN = re.compile(r"[A-Za-z_][\w.:-]*")
# What XML 1.0 does not allow in a document: C0 controls but tab, newline and return;
# lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Node colours by type, the graph page's own (kg/viz/web/viewer.js).
COLOURS = {
    "Person": "#3b82f6", "Country": "#dc2626", "Organization": "#7c3aed", "Location": "#a16207",
    "Position": "#64748b", "Visit": "#16a34a", "Meeting": "#ea580c", "Agreement": "#0891b2",
    "EconomicFigure": "#ca8a04", "Article": "#94a3b8",
}
OTHER_COLOUR = "#9ca3af"
# The dates a node of each type lives for, by property.
TIME_PROPERTIES = {"Visit": ("startDate", "endDate", "date"), "Meeting": ("date",), "Agreement": ("signedOn",),
                   "EconomicFigure": ("period",)}


def node_ids(graph: PropertyGraph) -> dict[str, str]:
    """IRI -> a short id valid as an XML name: `person:luong-cuong`, else `n` + a hash."""
    uris = [n.uri for n in graph.nodes]
    prefixes = T.id_prefixes(uris)
    out = {}
    for uri in uris:
        short = next((f"{k}:{uri[len(ns):]}" for k, ns in prefixes.items() if uri.startswith(ns)), None)
        if not short or not _NMTOKEN.fullmatch(short):
            short = "n" + hashlib.sha1(uri.encode("utf-8")).hexdigest()[:16]
        out[uri] = short
    return out


def flat_attributes(graph: PropertyGraph) -> dict[str, dict[str, object]]:
    """Per node IRI: scalar attributes (str, int, float, bool) of one type per attribute name."""
    raw = {}
    for n in graph.nodes:
        attrs = {"label": n.props.get("label", ""), "type": n.label, "uri": n.uri}
        for k, v in n.props.items():
            if k != "label":
                attrs[k] = _flat(v)
        raw[n.uri] = attrs
    # One type per attribute: ints with floats become floats, anything else mixed becomes text.
    kinds: dict[str, set] = {}
    for attrs in raw.values():
        for k, v in attrs.items():
            kinds.setdefault(k, set()).add(type(v))
    for attrs in raw.values():
        for k, v in attrs.items():
            ks = kinds[k]
            if ks == {int, float}:
                attrs[k] = float(v)
            elif len(ks) > 1:
                attrs[k] = str(v)
    return raw


def xml_safe(value):
    """`value` with the characters XML 1.0 cannot hold left out (strings only; others as they are)."""
    return _NOT_XML.sub("", value) if isinstance(value, str) else value


def to_networkx(graph: PropertyGraph):
    """The property graph as a networkx MultiDiGraph (edge key = relation type), every text XML-safe."""
    import networkx as nx

    ids = node_ids(graph)
    attrs = flat_attributes(graph)
    g = nx.MultiDiGraph(name=xml_safe(Path(graph.source).name) if graph.source else "vnkg")
    for n in graph.nodes:
        g.add_node(ids[n.uri], **{k: xml_safe(v) for k, v in attrs[n.uri].items()})
    for i, r in enumerate(graph.rels):
        g.add_edge(ids[r.start], ids[r.end], key=r.type, relation=r.type, id=f"e{i}")
    return g


def write_graphml(graph: PropertyGraph, out: str | Path) -> Path:
    """GraphML (networkx writer), atomically."""
    import networkx as nx

    g = to_networkx(graph)
    with atomic_output(out, mode="wb") as stream:
        nx.write_graphml_xml(g, stream, encoding="utf-8", prettyprint=True, edge_id_from_attribute="id")
    return Path(out)


def write_gexf(graph: PropertyGraph, out: str | Path) -> Path:
    """GEXF 1.2 (networkx writer) with a fixed <meta>, atomically."""
    from networkx.readwrite.gexf import GEXFWriter

    g = to_networkx(graph)
    for _u, _v, _k, data in g.edges(keys=True, data=True):
        data["label"] = data["relation"]
    _add_looks(graph, g)
    _add_time(graph, g)
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    meta = writer.xml.find("meta")
    meta.find("creator").text = "vnkg"
    published = [v for n in graph.nodes for v in _as_list(n.props.get("datePublished"))
                 if isinstance(v, dt.date)]
    if published:
        meta.set("lastmodifieddate", max(published).isoformat())
    else:
        del meta.attrib["lastmodifieddate"]
    meta.append(_element("description", f"vnkg graph from {Path(graph.source).name or 'a build'}"))
    writer.add_graph(g)
    _drop_edge_attribute(writer.xml, "networkx_key")  # the multigraph key repeats `relation`
    with atomic_output(out, mode="wb") as stream:
        writer.write(stream)
    return Path(out)


def write_csv_lists(graph: PropertyGraph, out_dir: str | Path) -> tuple[Path, Path]:
    """nodes.csv (Id, Label, type, uri, ...) and edges.csv (Source, Target, Type, relation) in `out_dir`.

    The column names are the ones Gephi's spreadsheet import and Cytoscape recognise.
    """
    out = output_folder(out_dir)
    ids = node_ids(graph)
    attrs = flat_attributes(graph)
    extra = sorted({k for a in attrs.values() for k in a} - {"label", "type", "uri"})
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Id", "Label", "type", "uri", *extra])
    for n in graph.nodes:
        a = attrs[n.uri]
        w.writerow([ids[n.uri], a["label"], a["type"], a["uri"], *(_csv_value(a.get(k)) for k in extra)])
    nodes_path = write_text(out / "nodes.csv", buf.getvalue())
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["Source", "Target", "Type", "relation"])
    for r in graph.rels:
        w.writerow([ids[r.start], ids[r.end], "Directed", r.type])
    edges_path = write_text(out / "edges.csv", buf.getvalue())
    return nodes_path, edges_path


def _add_looks(graph: PropertyGraph, g) -> None:
    """Colour by type, size by links, position from the graph page's layout (y up, as Gephi draws)."""
    from kg.viz.layout import layout

    ids = node_ids(graph)
    degree: dict[str, int] = {ids[n.uri]: 0 for n in graph.nodes}
    for r in graph.rels:
        degree[ids[r.start]] += 1
        degree[ids[r.end]] += 1
    order = sorted(degree, key=lambda i: (-degree[i], i))
    nodes = [{"id": i, "rank": k} for k, i in enumerate(order)]
    edges = [{"source": ids[r.start], "target": ids[r.end]} for r in graph.rels if r.type != "DERIVED_FROM"]
    positions = layout(nodes, edges)
    for n in graph.nodes:
        node = ids[n.uri]
        colour = COLOURS.get(n.label, OTHER_COLOUR)
        x, y = positions[node]
        g.nodes[node]["viz"] = {
            "color": {"r": int(colour[1:3], 16), "g": int(colour[3:5], 16), "b": int(colour[5:7], 16), "a": 1.0},
            "size": round(4.0 + 3.0 * math.sqrt(degree[node]), 2),
            "position": {"x": round(x, 1) + 0.0, "y": round(-y, 1) + 0.0, "z": 0.0},  # no "-0.0"
        }


def _spells(node) -> list[tuple[str, str | None]]:
    """(first day, last day) spells of a fact from its dates; an article from its publication on."""
    from kg.viz.data import date_range

    if node.label == "Article":
        days = [date_range(str(_flat(v))) for v in _as_list(node.props.get("datePublished"))]
        return sorted({(d[0], None) for d in days if d})[:1]
    spans = [date_range(str(_flat(v))) for name in TIME_PROPERTIES.get(node.label, ())
             for v in _as_list(node.props.get(name))]
    spans = [s for s in spans if s]
    if not spans:
        return []
    return [(min(s[0] for s in spans), max(s[1] for s in spans))]


def _add_time(graph: PropertyGraph, g) -> None:
    """Spells on dated nodes, on the links of a dated fact, and on VISITED / MET_WITH for the facts behind them."""
    ids = node_ids(graph)
    spells = {ids[n.uri]: _spells(n) for n in graph.nodes}
    for node, found in spells.items():
        if found:
            g.nodes[node]["spells"] = found
    ends: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))  # fact -> relation -> nodes
    for r in graph.rels:
        if r.type in ("VISITOR", "DESTINATION", "PARTICIPANT"):
            ends[ids[r.start]][r.type].append(ids[r.end])
    behind: dict[tuple[str, str, str], list] = defaultdict(list)  # (VISITED, person, country) -> spells
    for fact, relations in ends.items():
        for person in relations["VISITOR"]:
            for place in relations["DESTINATION"]:
                behind[("VISITED", person, place)] += spells[fact]
        for a in relations["PARTICIPANT"]:
            for b in relations["PARTICIPANT"]:
                if a != b:
                    behind[("MET_WITH", a, b)] += spells[fact]
    for u, v, key, data in g.edges(keys=True, data=True):
        if key in ("VISITED", "MET_WITH"):
            found = behind.get((key, u, v), [])
        elif key != "DERIVED_FROM" and g.nodes[u].get("type") in TIME_PROPERTIES:
            found = spells[u]
        else:
            found = []
        if found:
            data["spells"] = _merged(found)


def _merged(spells: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
    """Spells in date order with overlapping ones joined (Gephi wants them apart)."""
    out: list[list] = []
    for start, end in sorted(spells, key=lambda s: (s[0], s[1] or "9999")):
        if out and (out[-1][1] is None or start <= out[-1][1]):
            if out[-1][1] is not None and (end is None or end > out[-1][1]):
                out[-1][1] = end
            continue
        out.append([start, end])
    return [(a, b) for a, b in out]


def _drop_edge_attribute(root, title: str) -> None:
    for attributes in root.iter("attributes"):
        if attributes.get("class") != "edge":
            continue
        for attr in list(attributes):
            if attr.get("title") == title:
                attributes.remove(attr)
                for values in root.iter("attvalues"):
                    for v in list(values):
                        if v.get("for") == attr.get("id"):
                            values.remove(v)


def _flat(value):
    if isinstance(value, list):
        return LIST_JOIN.join(str(_flat(v)) for v in value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _as_list(value) -> list:
    return value if isinstance(value, list) else ([] if value is None else [value])


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def _element(tag: str, text: str):
    from xml.etree.ElementTree import Element

    el = Element(tag)
    el.text = text
    return el
