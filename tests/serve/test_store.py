"""Graph sources and persistent stores: what `kg serve` and `kg query` accept, and `kg store`."""
from __future__ import annotations

import shutil

import pytest
from serve_helpers import http, kg_main, query_url

from kg.errors import GraphSourceError
from kg.serve.store import GraphSource, is_store_dir, load_store, open_store, resolve_source

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def count(store) -> int:
    return int(next(iter(store.query(COUNT)))["n"].value)


def test_a_folder_with_graph_ttl_is_served_from_it(tmp_path, small_graph):
    shutil.copy(small_graph, tmp_path / "graph.ttl")
    (tmp_path / "extra.nt").write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    assert resolve_source(tmp_path) == GraphSource(files=(tmp_path / "graph.ttl",))


def test_a_folder_without_graph_ttl_serves_every_rdf_file(tmp_path, small_graph):
    shutil.copy(small_graph, tmp_path / "a.ttl")
    (tmp_path / "b.nt").write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not rdf", encoding="utf-8")
    source = resolve_source(tmp_path)
    assert source.files == (tmp_path / "a.ttl", tmp_path / "b.nt")
    assert count(open_store(source)) == 170


@pytest.mark.parametrize("make,message", [
    (lambda d: d / "missing.ttl", "no such file"),
    (lambda d: d, "holds no graph.ttl"),
    (lambda d: (d / "graph.csv").write_text("a,b") and d / "graph.csv", "not an RDF file"),
])
def test_unusable_sources_say_what_to_do(tmp_path, make, message):
    with pytest.raises(GraphSourceError, match=message):
        resolve_source(make(tmp_path))


def test_broken_turtle_names_the_file(tmp_path):
    bad = tmp_path / "graph.ttl"
    bad.write_text("@prefix ex: <http://e/> .\nex:a ex:b \"unclosed .\n", encoding="utf-8")
    with pytest.raises(GraphSourceError, match=r"graph.ttl: not valid RDF"):
        open_store(resolve_source(bad))


def test_load_store_fills_a_store_that_opens_read_only(tmp_path, small_graph):
    target = tmp_path / "store"
    load_store([small_graph], target)
    assert is_store_dir(target)
    source = resolve_source(target)
    assert source.kind == "persistent"
    store = open_store(source)
    assert count(store) == 169
    with pytest.raises(RuntimeError, match="read-write"):
        store.update("INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }")
    assert [p.name for p in tmp_path.iterdir()] == ["store"]


def test_load_store_replaces_atomically_and_keeps_the_old_store_on_failure(tmp_path, small_graph):
    target = tmp_path / "store"
    load_store([small_graph], target)
    bad = tmp_path / "bad.ttl"
    bad.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(GraphSourceError):
        load_store([small_graph, bad], target)
    assert count(open_store(resolve_source(target))) == 169
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.ttl", "store"]
    extra = tmp_path / "extra.nt"
    extra.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    load_store([small_graph, extra], target)
    assert count(open_store(resolve_source(target))) == 170


def test_load_store_never_replaces_a_folder_that_is_not_a_store(tmp_path, small_graph):
    target = tmp_path / "mine"
    target.mkdir()
    (target / "keep.txt").write_text("precious", encoding="utf-8")
    with pytest.raises(GraphSourceError, match="not an Oxigraph store"):
        load_store([small_graph], target)
    assert (target / "keep.txt").read_text(encoding="utf-8") == "precious"


def test_kg_store_then_serve_the_store(tmp_path, small_graph, start_server, capsys):
    target = tmp_path / "store"
    assert kg_main(["store", str(small_graph), "--store", str(target)]) == 0
    assert "filled" in capsys.readouterr().out
    server = start_server(graph=target, workers=2)
    health = http(server.url + "/health").json()
    assert (health["store"], health["triples"], health["in_memory"]) == ("persistent", 169, True)
    reply = http(query_url(server.url, "SELECT ?l WHERE { <https://w3id.org/vnkg/id/person/luong-cuong> "
                                       "<http://www.w3.org/2000/01/rdf-schema#label> ?l }"))
    assert reply.json()["results"]["bindings"][0]["l"]["value"] == "Lương Cường"


def test_updates_on_a_served_store_persist(tmp_path, small_graph, start_server):
    target = tmp_path / "store"
    load_store([small_graph], target)
    server = start_server(graph=target, allow_update=True, update_token="t0ken")
    reply = http(server.url + "/update", method="POST", data=b"INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
                 headers={"Content-Type": "application/sparql-update", "Authorization": "Bearer t0ken"})
    assert reply.status == 204
    server.stop()
    assert count(open_store(resolve_source(target))) == 170
