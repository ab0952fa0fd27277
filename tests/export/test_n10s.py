"""What neosemantics (n10s) relies on in graph.ttl-shaped files, and the set-up it is given."""
from __future__ import annotations

import pytest

from kg.cli import main
from kg.export.n10s import graph_config, n10s_problems

HEAD = ('@prefix vnkg: <https://w3id.org/vnkg/ontology#> .\n'
        '@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        '@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
        '@prefix person: <https://w3id.org/vnkg/id/person/> .\n')


def test_small_graph_has_nothing_n10s_would_trip_on(small_graph):
    assert n10s_problems(small_graph) == []


def test_generated_graph_has_nothing_n10s_would_trip_on(generated_graph):
    assert n10s_problems(generated_graph) == []


@pytest.mark.parametrize("body, expected", [
    ('country:lao a vnkg:Country .\n', "prefixes used but not declared: country"),
    ('person:a vnkg:nationality [ a vnkg:Country ] .\n', "blank nodes"),
    ('person:a rdfs:label "Lương Cường" .\n', "without a language tag"),
    ('person:a vnkg:born "5 tháng 3"^^<https://example.org/myDate> .\n', "non-standard datatype"),
    ('person:a vnkg:born "2024-13"^^xsd:date .\n', "not valid for their datatype"),
    ('person:a vnkg:label "x"@vi ; rdfs:label "y"@vi .\n', "several vocabularies"),
])
def test_each_problem_is_reported(tmp_path, body, expected):
    path = tmp_path / "graph.ttl"
    path.write_text(HEAD + body, encoding="utf-8")
    problems = n10s_problems(path)
    assert any(expected in p for p in problems), problems


def test_export_writes_n10s_script_for_the_graph_file(tmp_path, small_graph):
    out = tmp_path / "neo4j"
    assert main(["export", "neo4j", str(small_graph), "--out", str(out)]) == 0
    script = (out / "n10s.cypher").read_text(encoding="utf-8")
    assert "CREATE CONSTRAINT n10s_unique_uri IF NOT EXISTS FOR (r:Resource) REQUIRE r.uri IS UNIQUE;" in script
    assert 'handleVocabUris: "IGNORE"' in script and "keepLangTag: true" in script
    assert 'handleMultival: "ARRAY"' in script and '"http://www.w3.org/2004/02/skos/core#altLabel"' in script
    # n10s runs on the Neo4j server: it reads the file from Neo4j's import folder, never from where it was exported
    assert 'CALL n10s.rdf.import.fetch("file:///var/lib/neo4j/import/graph_small.ttl", "Turtle");' in script
    assert str(small_graph.parent) not in script and str(tmp_path) not in script
    assert "copy graph_small.ttl into Neo4j's import folder" in script


@pytest.mark.parametrize("import_dir, url", [
    ("/data/neo4j/import", "file:///data/neo4j/import/graph.ttl"),
    ("/srv/import dir/", "file:///srv/import%20dir/graph.ttl"),
    ("https://files.example.org/vnkg", "https://files.example.org/vnkg/graph.ttl"),
])
def test_import_folder_is_configurable(tmp_path, small_graph, import_dir, url):
    build = tmp_path / "output"
    build.mkdir()
    (build / "graph.ttl").write_bytes(small_graph.read_bytes())
    out = tmp_path / "neo4j"
    assert main(["export", "neo4j", str(build), "--out", str(out), "--import-dir", import_dir]) == 0
    assert f'CALL n10s.rdf.import.fetch("{url}", "Turtle");' in (out / "n10s.cypher").read_text(encoding="utf-8")


def test_a_relative_import_folder_is_refused(tmp_path, small_graph, capsys):
    assert main(["export", "neo4j", str(small_graph), "--out", str(tmp_path / "neo4j"), "--import-dir", "import"]) == 2
    err = capsys.readouterr().err
    assert "--import-dir" in err and "absolute path on the Neo4j server" in err
    assert not (tmp_path / "neo4j").exists()


def test_n_triples_input_is_imported_as_n_triples(tmp_path, small_graph):
    import pyoxigraph as ox

    nt = tmp_path / "graph.nt"
    triples = ox.parse(path=str(small_graph), format=ox.RdfFormat.TURTLE)
    nt.write_bytes(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES))
    assert main(["export", "neo4j", str(nt), "--out", str(tmp_path / "neo4j")]) == 0
    script = (tmp_path / "neo4j" / "n10s.cypher").read_text(encoding="utf-8")
    assert 'CALL n10s.rdf.import.fetch("file:///var/lib/neo4j/import/graph.nt", "N-Triples");' in script


def test_graph_config_lists_the_multivalued_properties():
    config = graph_config()
    assert config["multivalPropList"][:3] == ["http://www.w3.org/2000/01/rdf-schema#label",
                                               "http://www.w3.org/2004/02/skos/core#altLabel",
                                               "https://w3id.org/vnkg/ontology#evidence"]
    assert config["handleRDFTypes"] == "LABELS" and config["keepCustomDataTypes"] is False
