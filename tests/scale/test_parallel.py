"""Worker processes: the same bytes whatever their number, and a clear error when they cannot start."""
from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("workers", [2])
def test_workers_write_byte_identical_outputs(mixed_corpus, build, tmp_path, workers):
    one, graph_one, report_one = build([mixed_corpus], tmp_path / "one", workers=1)
    many, graph_many, report_many = build([mixed_corpus], tmp_path / "many", workers=workers)
    assert one.counts() == many.counts() == (16, 0)
    assert graph_many == graph_one
    assert report_many["articles"] == report_one["articles"]
    # input order is kept: the five .txt samples first, then the JSONL records by line
    files = [(a["source_file"], a.get("line")) for a in report_many["articles"]]
    assert files == sorted(files, key=lambda f: (f[0].startswith("news-"), f))


def test_a_worker_that_cannot_load_the_pipeline_fails_the_build(mixed_corpus, tmp_path):
    from kg.builder import build_corpus
    from kg.errors import EngineError

    broken = tmp_path / "ontology"
    (broken / "gazetteers").mkdir(parents=True)
    with pytest.raises(EngineError, match="could not load the pipeline"):
        build_corpus([mixed_corpus], workers=2, ontology=str(broken))


def test_kg_build_workers_zero_means_one_per_core(mixed_corpus, tmp_path):
    from kg.cli import main

    assert main(["build", str(mixed_corpus), "--out", str(tmp_path), "--workers", "0", "--no-html",
                 "--no-validate", "--no-progress", "--no-cache"]) == 0
    report = json.loads((tmp_path / "report.json").read_text("utf-8"))
    assert report["totals"]["articles"] == 16


class _DyingStep:
    """A per-article step whose worker process is killed by one article, as the kernel kills one out of memory."""

    time_limit = 0

    def __call__(self):
        return self

    def process(self, article):
        import os
        import signal

        from kg.report import ArticleOutput, ArticleReport

        if "chết" in article.text:
            os.kill(os.getpid(), signal.SIGKILL)
        return ArticleOutput(ArticleReport(article.source_file, article.path, "ok"))


def test_a_worker_killed_mid_article_stops_the_build_with_its_name_instead_of_hanging():
    from kg.article import Article
    from kg.errors import EngineError
    from kg.scale.local import Job
    from kg.scale.parallel import run_ordered

    jobs = [Job(Article(f"{i}.txt", f"in/{i}.txt", "chết" if i == 5 else "sống")) for i in range(8)]
    with pytest.raises(EngineError, match=r"a worker process stopped while analysing .*in/5\.txt"):
        list(run_ordered(jobs, _DyingStep(), workers=2, stall=5))
