"""The full pipeline on articles written for the tests (other countries, leaders, outlets and habits
than the samples), measured against their hand-made gold facts in tests/data/gold.json."""
from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"

# Measured on these articles (see docs/extraction.md#measured-accuracy); a change that
# lowers a figure below its floor is a regression.
FLOORS = {
    "persons": 0.95, "countries": 0.95, "positions": 0.90,
    "visits": 0.90, "meetings": 0.90, "agreements": 0.90, "figures": 0.90,
}
PRECISION_FLOORS = {"positions": 0.92, "visits": 0.92, "meetings": 0.92, "agreements": 0.92, "figures": 0.92}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from kg.builder import build_corpus, write_outputs

    out = tmp_path_factory.mktemp("own")
    result = build_corpus([DATA / "articles"])
    write_outputs(result, out)
    return result, out


@pytest.fixture(scope="module")
def report(built):
    from kg.evaluate import evaluate

    return evaluate(DATA / "gold.json", built[1] / "graph.ttl")


@pytest.mark.parametrize("kind", sorted(FLOORS))
def test_own_articles_f1_floor(report, kind):
    k = report["kinds"][kind]
    assert k["f1"] >= FLOORS[kind], f"{kind}: F1 {k['f1']:.2f}\nmissed {k['missed']}\nextra {k['extra']}"


@pytest.mark.parametrize("kind", sorted(PRECISION_FLOORS))
def test_own_articles_precision_floor(report, kind):
    k = report["kinds"][kind]
    assert k["p"] >= PRECISION_FLOORS[kind], f"{kind}: P {k['p']:.2f}\nextra {k['extra']}"


def test_own_articles_facts_f1(report):
    assert report["facts"]["f1"] >= 0.93


def test_own_articles_have_no_page_furniture_and_no_split_entities(report):
    assert report["leaks"] == []
    assert report["duplicate_entities"] == []


def test_own_articles_every_format_is_read(built):
    result, _ = built
    files = {a.source_file for a in result.ok}
    assert "121_batch.jsonl" in files and "124_page.html" in files
    assert len([a for a in result.ok if a.source_file == "121_batch.jsonl"]) == 3
    assert result.failed == []
