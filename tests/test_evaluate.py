"""kg eval: the scores of a graph against hand-made gold are the same in every run and count what they say."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kg.evaluate import evaluate

# Two meetings of the same two people in one article: talks one day, a reception the next,
# and a phone call with a third person. The system's nodes are named so that their order
# differs from the gold's.
GRAPH = """@prefix vnkg: <https://w3id.org/vnkg/ontology#> .
@prefix schema: <https://schema.org/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/vnkg/id/> .

id:a a schema:NewsArticle ; vnkg:sourceFile "01_tin.txt" ;
    schema:mentions id:p1, id:p2, id:p3, id:vn .
id:vn a vnkg:Country ; rdfs:label "Việt Nam"@vi .
id:p1 a vnkg:Person ; rdfs:label "Trần Văn An"@vi .
id:p2 a vnkg:Person ; rdfs:label "Lê Minh Bảo"@vi .
id:p3 a vnkg:Person ; rdfs:label "Ngô Thị Cúc"@vi .
id:m0 a vnkg:Meeting ; vnkg:participant id:p1, id:p2 ; vnkg:meetingType vnkg:Reception ;
    vnkg:date "2025-03-06"^^xsd:date ; prov:wasDerivedFrom id:a .
id:m1 a vnkg:Meeting ; vnkg:participant id:p1, id:p2 ; vnkg:meetingType vnkg:Talks ;
    vnkg:date "2025-03-05"^^xsd:date ; prov:wasDerivedFrom id:a .
id:m2 a vnkg:Meeting ; vnkg:participant id:p1, id:p3 ; vnkg:meetingType vnkg:PhoneCall ;
    vnkg:date "2025-03-07"^^xsd:date ; prov:wasDerivedFrom id:a .
"""
GOLD = {"articles": [{
    "file": "01_tin.txt", "countries": ["Việt Nam"], "organizations": [], "noise": [],
    "persons": [{"name": "Trần Văn An"}, {"name": "Lê Minh Bảo"}, {"name": "Ngô Thị Cúc"}],
    "visits": [], "agreements": [], "figures": [],
    "meetings": [
        {"participants": ["Trần Văn An", "Lê Minh Bảo"], "date": "2025-03-05", "kind": "talks"},
        {"participants": ["Trần Văn An", "Lê Minh Bảo"], "date": "2025-03-06", "kind": "reception"},
        {"participants": ["Trần Văn An", "Ngô Thị Cúc"], "date": "2025-03-07", "kind": "phone_call"},
    ],
}]}


@pytest.fixture
def files(tmp_path):
    (tmp_path / "graph.ttl").write_text(GRAPH, encoding="utf-8")
    (tmp_path / "gold.json").write_text(json.dumps(GOLD, ensure_ascii=False), encoding="utf-8")
    return tmp_path / "gold.json", tmp_path


def test_each_gold_meeting_pairs_with_the_one_of_its_date_and_type(files):
    report = evaluate(*files)
    meetings = report["kinds"]["meetings"]
    assert (meetings["tp"], meetings["fp"], meetings["fn"]) == (3, 0, 0)
    assert meetings["attributes"]["meeting type"] == {"right": 3, "asked": 3}
    assert meetings["attributes"]["date (month/day right)"] == {"right": 3, "asked": 3}


def test_the_scores_are_the_same_whatever_the_hash_seed(files):
    gold, folder = files
    outputs = {subprocess.run([sys.executable, "-m", "kg.cli", "eval", str(gold), str(folder), "--json"],
                              capture_output=True, text=True, check=True,
                              env={"PYTHONHASHSEED": str(seed), "PATH": ""}).stdout for seed in (1, 2, 3, 4)}
    assert len(outputs) == 1
