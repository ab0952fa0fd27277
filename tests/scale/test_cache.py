"""The article cache: unchanged articles are never analysed twice, and any pipeline change starts afresh."""
from __future__ import annotations

import json
from pathlib import Path
import shutil

import pytest


@pytest.fixture()
def ontology(tmp_path):
    """A private copy of the ontology folder, free to edit."""
    from kg.resources import ontology_dir

    copy = tmp_path / "ontology"
    shutil.copytree(ontology_dir(), copy)
    return copy


def test_cached_rebuild_reuses_every_article_and_gives_identical_bytes(samples, build, tmp_path):
    cache = tmp_path / "cache"
    first, graph, report = build([samples], tmp_path / "a", cache_dir=cache)
    again, graph_again, report_again = build([samples], tmp_path / "b", cache_dir=cache)
    fresh, graph_fresh, _ = build([samples], tmp_path / "c")
    assert (first.reused, again.reused) == (0, 5)
    assert graph_again == graph == graph_fresh
    assert report_again["articles"] == report["articles"]
    assert report_again["totals"]["reused"] == 5


def test_adding_articles_analyses_only_those(samples, mixed_corpus, build, tmp_path):
    cache = tmp_path / "cache"
    build([samples], tmp_path / "a", cache_dir=cache)
    grown, graph, _ = build([mixed_corpus], tmp_path / "b", cache_dir=cache)
    _, graph_fresh, _ = build([mixed_corpus], tmp_path / "c")
    assert grown.counts() == (16, 0)
    assert grown.reused == 5  # the samples; the 11 generated articles were analysed
    assert graph == graph_fresh


@pytest.mark.parametrize("change, reused", [
    ("a new place in locations.jsonl", 0),
    ("the same bytes written again", 5),
])
def test_a_gazetteer_change_invalidates_the_cache(samples, build, tmp_path, ontology, change, reused):
    cache = tmp_path / "cache"
    build([samples], tmp_path / "a", cache_dir=cache, ontology=str(ontology))
    path = ontology / "gazetteers" / "locations.jsonl"
    content = path.read_text(encoding="utf-8")
    if change.startswith("a new place"):
        content += json.dumps({"id": "lang-thu-nghiem", "name": "Làng Thử Nghiệm", "kind": "site",
                               "country": "viet-nam"}, ensure_ascii=False) + "\n"
    path.write_text(content, encoding="utf-8")
    result, _, _ = build([samples], tmp_path / "b", cache_dir=cache, ontology=str(ontology))
    assert result.reused == reused


def test_pipeline_version_follows_rules_and_code_but_not_the_viewer(ontology):
    from kg.scale.cache import pipeline_files, pipeline_version

    names = {p.name for p in pipeline_files(ontology)}
    assert {"countries.jsonl", "triggers.jsonl", "entities.py", "build.py", "builder.py"} <= names
    import kg

    package = Path(kg.__file__).resolve().parent
    inside = [p.resolve().relative_to(package).parts for p in pipeline_files(ontology) if p.resolve().is_relative_to(package)]
    assert inside and not any(parts[0] in ("viz", "serve") for parts in inside)
    before = pipeline_version(ontology)
    rules = ontology / "rules" / "triggers.jsonl"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert pipeline_version(ontology) != before


def test_kg_build_caches_in_the_output_folder_and_no_cache_analyses_all(samples, tmp_path, capsys):
    from kg.cli import main

    out = tmp_path / "out"
    args = ["build", str(samples), "--out", str(out), "--no-html", "--no-validate", "--no-progress"]
    assert main(args) == 0
    assert (out / ".cache" / "articles.sqlite").is_file()
    capsys.readouterr()
    assert main(args) == 0
    assert "5 reused from the cache" in capsys.readouterr().out
    assert main([*args, "--no-cache"]) == 0
    assert "reused" not in capsys.readouterr().out
    assert json.loads((out / "report.json").read_text("utf-8"))["totals"]["reused"] == 0


def test_kg_build_no_cache_writes_no_cache_folder(samples, tmp_path):
    from kg.cli import main

    out = tmp_path / "out"
    assert main(["build", str(samples), "--out", str(out), "--no-html", "--no-validate", "--no-progress",
                 "--no-cache"]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl", "report.json"]


def test_cache_dir_option_puts_the_cache_there(samples, tmp_path):
    from kg.cli import main

    out, cache = tmp_path / "out", tmp_path / "elsewhere"
    assert main(["build", str(samples), "--out", str(out), "--no-html", "--no-validate", "--no-progress",
                 "--cache-dir", str(cache)]) == 0
    assert (cache / "articles.sqlite").is_file() and not (out / ".cache").exists()


@pytest.mark.parametrize("with_digest", [True, False])
def test_the_cache_key_follows_the_text_and_fields_but_not_the_path(with_digest):
    from dataclasses import replace

    from kg.article import Article, digest_of
    from kg.scale.cache import article_key

    def article(text: str, path: str = "a/x.txt", **fields) -> Article:
        return Article("x.txt", path, text, digest=digest_of(text) if with_digest else "", **fields)

    base = "https://example.org/kg/"
    key = article_key(article("Thủ tướng tiếp Đại sứ Lào."), base)
    assert article_key(article("Thủ tướng tiếp Đại sứ Lào.", path="b/x.txt"), base) == key
    assert article_key(article("Thủ tướng tiếp Đại sứ Lào!"), base) != key
    assert article_key(article("Thủ tướng tiếp Đại sứ Lào.", title="Tin"), base) != key
    assert article_key(article("Thủ tướng tiếp Đại sứ Lào."), "https://example.org/other/") != key
    assert article_key(replace(article("Thủ tướng tiếp Đại sứ Lào."), line=3), base) != key
