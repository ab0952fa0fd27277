"""The full pipeline on real news (../shared/corpus/real: 20 excerpts from 19 outlets, 2010–2026, with their
page mess) against their hand-made gold. Floors sit a little under what the build measures, so a regression
shows; docs/extraction.md has the figures."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = next((p for p in (REPO.parent / "shared", Path("/work/shared")) if (p / "corpus" / "real").is_dir()), None)
pytestmark = pytest.mark.skipif(SHARED is None, reason="the real news corpus (../shared/corpus/real) is not here")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from kg.builder import build_corpus, write_outputs
    from kg.evaluate import evaluate

    out = tmp_path_factory.mktemp("real")
    write_outputs(build_corpus([SHARED / "corpus" / "real"], validate=False), out)
    return evaluate(SHARED / "gold" / "real.json", out / "graph.ttl")


def test_real_facts_f1_and_precision(report):
    facts = report["facts"]
    assert facts["f1"] >= 0.95 and facts["p"] >= 0.95, facts


@pytest.mark.parametrize("kind, floor", [("persons", 0.97), ("countries", 0.97), ("organizations", 0.85),
                                         ("positions", 0.95), ("visits", 0.95), ("meetings", 0.95),
                                         ("agreements", 0.90), ("figures", 0.90)])
def test_real_kind_floor(report, kind, floor):
    k = report["kinds"][kind]
    assert k["f1"] >= floor, f"{kind}: F1 {k['f1']:.2f}\nmissed {k['missed']}\nextra {k['extra']}"


@pytest.mark.parametrize("kind, attribute", [("meetings", "date (month/day right)"), ("visits", "status"),
                                              ("meetings", "meeting type"), ("visits", "visit type")])
def test_real_attribute_is_right_nine_times_in_ten(report, kind, attribute):
    found = report["kinds"][kind]["attributes"][attribute]
    assert found["right"] >= 0.9 * found["asked"], f"{kind} {attribute}: {found['right']}/{found['asked']}"


def test_real_articles_have_no_page_furniture_and_no_split_entities(report):
    assert report["leaks"] == [] and report["duplicate_entities"] == []
