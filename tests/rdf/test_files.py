"""kg.rdf.files: one table of graph file formats, one way to find and read a graph file."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from rdflib import URIRef

from kg.errors import GraphFileError
from kg.rdf.files import FORMATS, find_format, graph_format, read_rdflib, resolve_graph_path

TRIG = """@prefix ex: <http://example.org/> .
ex:g1 { ex:a ex:p ex:b . }
ex:g2 { ex:a ex:p ex:c . ex:a ex:p ex:b . }
"""


@pytest.mark.parametrize("name, expected", [
    ("graph.ttl", "Turtle"), ("G.TTL", "Turtle"), ("graph.nt", "N-Triples"), ("graph.nq.gz", "N-Quads"),
    ("graph.trig.gz", "TriG"), ("graph.jsonld", "JSON-LD"), ("onto.owl", "RDF/XML"), ("graph.txt", None),
    ("graph", None), ("graph.gz", None),
])
def test_the_suffix_names_the_format(name, expected):
    fmt = find_format(name)
    assert (fmt.name if fmt else None) == expected


@pytest.mark.parametrize("fmt", FORMATS, ids=lambda f: f.name)
def test_every_format_has_a_parser_on_both_sides_that_agrees_on_the_suffix(fmt):
    from rdflib.plugin import Parser, get

    assert "." + fmt.ox.file_extension in fmt.suffixes
    assert fmt.ox.media_type == fmt.media_type
    assert get(fmt.rdflib, Parser) is not None


def test_an_unknown_suffix_lists_the_known_ones():
    with pytest.raises(GraphFileError) as err:
        graph_format(Path("notes.txt"))
    assert "notes.txt" in str(err.value) and ".trig" in str(err.value)


def test_a_folder_stands_for_its_graph_ttl(tmp_path):
    (tmp_path / "graph.ttl").write_text("", encoding="utf-8")
    assert resolve_graph_path(tmp_path) == tmp_path / "graph.ttl"
    (tmp_path / "empty").mkdir()
    with pytest.raises(GraphFileError, match="has no graph.ttl"):
        resolve_graph_path(tmp_path / "empty")
    with pytest.raises(GraphFileError, match="no such file or folder"):
        resolve_graph_path(tmp_path / "missing.ttl")


@pytest.mark.parametrize("name, write", [
    ("g.trig", lambda p: p.write_text(TRIG, encoding="utf-8")),
    ("g.trig.gz", lambda p: p.write_bytes(gzip.compress(TRIG.encode("utf-8")))),
])
def test_named_graphs_are_merged_into_one_graph(tmp_path, name, write):
    path = tmp_path / name
    write(path)
    graph = read_rdflib(path)
    assert len(graph) == 2
    assert set(graph.objects(URIRef("http://example.org/a"), URIRef("http://example.org/p"))) == {
        URIRef("http://example.org/b"), URIRef("http://example.org/c")}


def test_a_file_that_does_not_parse_names_itself_and_the_format(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:p ", encoding="utf-8")
    with pytest.raises(GraphFileError) as err:
        read_rdflib(bad)
    assert "bad.ttl" in str(err.value) and "not valid Turtle" in str(err.value)


def test_serve_reads_a_gzipped_graph_file(tmp_path):
    from kg.serve.store import GraphSource, open_store

    path = tmp_path / "g.nq.gz"
    path.write_bytes(gzip.compress(b"<http://example.org/a> <http://example.org/p> <http://example.org/b> "
                                   b"<http://example.org/g> .\n"))
    store = open_store(GraphSource(files=(path,)))
    assert len(store) == 1
