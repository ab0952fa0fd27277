"""GraphML, GEXF and node/edge CSV for Gephi, Cytoscape, yEd and igraph.

The property graph (propgraph.py) as a networkx MultiDiGraph: node ids are compact,
valid XML names (`person:luong-cuong`, `visit:5d41402abc4b2a76`); every node has
`label`, `type` (its primary label) and `uri`, plus its other properties flattened
(dates as ISO text with their `...Precision`, lists joined with "; "); every edge has
`relation` (VISITED, MET_WITH, VISITOR...). Output is sorted and written atomically:
the same graph gives the same bytes.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from pathlib import Path

from kg.export import terms as T
from kg.export.files import atomic_output, output_folder, write_text
from kg.export.propgraph import PropertyGraph

LIST_JOIN = "; "
_NMTOKEN = re.compile(r"[A-Za-z_][\w.:-]*")


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


def to_networkx(graph: PropertyGraph):
    """The property graph as a networkx MultiDiGraph (edge key = relation type)."""
    import networkx as nx

    ids = node_ids(graph)
    attrs = flat_attributes(graph)
    g = nx.MultiDiGraph(name=Path(graph.source).name if graph.source else "vnkg")
    for n in graph.nodes:
        g.add_node(ids[n.uri], **attrs[n.uri])
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
