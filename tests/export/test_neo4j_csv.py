"""The neo4j-admin import files, read back the way `neo4j-admin database import` reads them."""
from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF

from kg.cli import main
from kg.export.neo4j_csv import write_neo4j_csv
from kg.export.propgraph import to_property_graph
from kg.export.source import read_graph
from kg.rdf.namespaces import VNKG

# neo4j-admin header entries: name:type, :ID / :LABEL / :START_ID / :END_ID / :TYPE, uri:ID
HEADER = re.compile(r"^(?:[A-Za-z_][\w]*:(?:ID|string|int|long|double|float|boolean|date|datetime)(?:\[\])?"
                    r"|:LABEL|:START_ID|:END_ID|:TYPE)$")
PARSE = {
    "string": str,
    "int": lambda v: _int_in(v, 32),
    "long": lambda v: _int_in(v, 64),
    "double": float,
    "boolean": lambda v: {"true": True, "false": False}[v],
    "date": dt.date.fromisoformat,
    "datetime": dt.datetime.fromisoformat,
}


def _int_in(text: str, bits: int) -> int:
    value = int(text)
    assert -(2 ** (bits - 1)) <= value < 2 ** (bits - 1)
    return value


def read_import_dir(out: Path, delim: str = ";") -> tuple[dict[str, dict], list[dict]]:
    """Nodes by ID and relationships, parsed per header types; fails on anything neo4j-admin would reject."""
    nodes: dict[str, dict] = {}
    rels = []
    for path in sorted(out.glob("nodes_*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            header = next(reader)
            assert all(HEADER.match(h) for h in header), (path.name, header)
            assert header[0] == "uri:ID" and header[-1] == ":LABEL"
            for row in reader:
                assert len(row) == len(header), (path.name, row)
                record = {"_labels": row[-1].split(delim)}
                for name, cell in zip(header[1:-1], row[1:-1]):
                    key, ctype = name.split(":")
                    if cell == "":
                        continue
                    if ctype.endswith("[]"):
                        record[key] = [PARSE[ctype[:-2]](x) for x in cell.split(delim)]
                    else:
                        record[key] = PARSE[ctype](cell)
                assert row[0] not in nodes, f"duplicate ID {row[0]} in {path.name}"
                nodes[row[0]] = record
    for path in sorted(out.glob("rels_*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.reader(f)
            assert next(reader) == [":START_ID", ":END_ID", ":TYPE"]
            for row in reader:
                rels.append({"start": row[0], "end": row[1], "type": row[2]})
    return nodes, rels


@pytest.fixture
def small_export(tmp_path, small_graph):
    out = tmp_path / "neo4j"
    assert main(["export", "neo4j", str(small_graph), "--out", str(out)]) == 0
    return out


def test_every_relationship_end_is_a_node_id(small_export):
    nodes, rels = read_import_dir(small_export)
    assert len(nodes) == 23 and len(rels) == 59
    missing = [r for r in rels if r["start"] not in nodes or r["end"] not in nodes]
    assert missing == []
    assert len({(r["start"], r["type"], r["end"]) for r in rels}) == len(rels)


@pytest.mark.parametrize("uri, key, value", [
    ("https://w3id.org/vnkg/id/country/lao", "alt_labels", ["CHDCND Lào", "Cộng hòa Dân chủ Nhân dân Lào"]),
    ("https://w3id.org/vnkg/id/country/lao", "labels_en", ["Laos"]),
    ("https://w3id.org/vnkg/id/organization/dang-nhan-dan-cach-mang-lao", "labels_en",
     ["Lao People's Revolutionary Party"]),
    ("https://w3id.org/vnkg/id/visit/5d41402abc4b2a76", "startDate", dt.date(2025, 4, 24)),
    ("https://w3id.org/vnkg/id/visit/5d41402abc4b2a76", "label", "Lương Cường thăm Lào, 2025-04-24"),
    ("https://w3id.org/vnkg/id/figure/a87ff679a2f3e71d", "value", 2250000000.0),
    ("https://w3id.org/vnkg/id/figure/e4da3b7fbbce2345", "changePercent", 138.6),
    ("https://w3id.org/vnkg/id/visit/7d793037a0760186", "charEnd", 150),
    ("https://w3id.org/vnkg/id/article/0f1e2d3c4b5a6978", "datePublished", dt.date(2024, 1, 6)),
])
def test_typed_columns_read_back_as_the_graph_values(small_export, uri, key, value):
    nodes, _ = read_import_dir(small_export)
    assert nodes[uri][key] == value


def test_headers_name_types_neo4j_admin_knows(small_export):
    header = (small_export / "nodes_EconomicFigure.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"uri:ID", "value:double", "changePercent:double", "charStart:int", "evidence:string[]",
            "sources:string[]", ":LABEL"} <= set(header)
    visit = (small_export / "nodes_Visit.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert {"startDate:date", "startDatePrecision:string", "visitType:string"} <= set(visit)


def test_readme_command_imports_every_file(small_export):
    readme = (small_export / "README.txt").read_text(encoding="utf-8")
    command = readme[readme.index("neo4j-admin database import full"):readme.index("\n\n", readme.index("neo4j-admin"))]
    listed = re.findall(r"--(?:nodes|relationships)=(\S+)", command)
    on_disk = sorted(p.name for p in small_export.glob("*.csv"))
    assert sorted(listed) == on_disk
    assert "--array-delimiter=';'" in command and "--id-type=string" in command


def test_quotes_commas_and_line_breaks_survive_csv(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(
        '@prefix vnkg: <https://w3id.org/vnkg/ontology#> .\n'
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '<https://w3id.org/vnkg/id/person/a> a vnkg:Person ; rdfs:label "Lê Văn \\"Tám\\", ông"@vi .\n'
        '<https://w3id.org/vnkg/id/visit/00ff00ff00ff00ff> a vnkg:Visit ; '
        'vnkg:visitor <https://w3id.org/vnkg/id/person/a> ; vnkg:evidence "Dòng một,\\ndòng \\"hai\\""@vi .\n',
        encoding="utf-8")
    export = write_neo4j_csv(to_property_graph(read_graph(graph)), tmp_path / "out")
    nodes, _ = read_import_dir(tmp_path / "out")
    assert nodes["https://w3id.org/vnkg/id/person/a"]["label"] == 'Lê Văn "Tám", ông'
    assert nodes["https://w3id.org/vnkg/id/visit/00ff00ff00ff00ff"]["evidence"] == ['Dòng một,\ndòng "hai"']
    assert export.multiline and "--multiline-fields=true" in export.command


def test_semicolon_in_a_list_value_switches_the_array_delimiter(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(
        '@prefix vnkg: <https://w3id.org/vnkg/ontology#> .\n'
        '@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n'
        '<https://w3id.org/vnkg/id/country/x> a vnkg:Country ; skos:altLabel "A; B"@vi, "C"@vi .\n',
        encoding="utf-8")
    export = write_neo4j_csv(to_property_graph(read_graph(graph)), tmp_path / "out")
    assert export.array_delimiter == "|"
    assert "--array-delimiter='|'" in export.command
    nodes, _ = read_import_dir(tmp_path / "out", delim="|")
    assert nodes["https://w3id.org/vnkg/id/country/x"]["alt_labels"] == ["A; B", "C"]


def test_mixed_full_and_partial_dates_split_into_files_with_own_headers(tmp_path, generated_graph):
    export = write_neo4j_csv(to_property_graph(read_graph(generated_graph)), tmp_path / "out")
    visit_files = [f for f in export.node_files if f.startswith("nodes_Visit")]
    assert len(visit_files) >= 2
    headers = [(tmp_path / "out" / f).read_text(encoding="utf-8").splitlines()[0] for f in visit_files]
    assert any("startDate:date" in h for h in headers) and any("startDate:string" in h for h in headers)
    nodes, rels = read_import_dir(tmp_path / "out", export.array_delimiter)
    assert all(r["start"] in nodes and r["end"] in nodes for r in rels)
    people = {str(p) for p in rdflib.Graph().parse(generated_graph).subjects(RDF.type, VNKG.Person)}
    assert {uri for uri, n in nodes.items() if n["_labels"] == ["Person"]} == people


def test_export_again_gives_the_same_files_and_drops_stale_ones(tmp_path, small_graph):
    out = tmp_path / "neo4j"
    (out).mkdir()
    (out / "nodes_Old.csv").write_text("uri:ID,:LABEL\nx,Old\n")
    assert main(["export", "neo4j", str(small_graph), "--out", str(out)]) == 0
    first = {p.name: p.read_bytes() for p in out.iterdir()}
    assert "nodes_Old.csv" not in first
    assert main(["export", "neo4j", str(small_graph), "--out", str(out)]) == 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == first
    assert not [p for p in out.iterdir() if p.name.startswith(".")]
