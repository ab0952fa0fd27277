"""kg.report: a build's figures, as the summary and report.json give them."""
from __future__ import annotations

from collections import Counter

import pytest

from kg.report import ArticleReport, BuildResult


def report(name: str, status: str = "ok", **counts) -> ArticleReport:
    return ArticleReport(name, name, status, entities=dict(counts))


@pytest.mark.parametrize("grown_by", [
    "appending to the reports",
    "replacing the reports",
])
def test_totals_follow_reports_that_change_after_a_first_look(grown_by):
    result = BuildResult(None, [report("a.txt", person=2)], triples=0, graph_counts=Counter())
    first = result.totals()
    if grown_by == "appending to the reports":
        result.articles.append(report("b.txt", person=1, country=1))
        result.articles.append(report("c.txt", "error"))
    else:
        result.articles = [report("b.txt", person=1, country=1), report("c.txt", "error")]
    later = result.totals()
    assert first["articles"] == 1 and first["per_article_sums"]["entities"] == {"person": 2}
    expected_people = 3 if grown_by == "appending to the reports" else 1
    assert later["failed"] == 1
    assert later["per_article_sums"]["entities"] == {"country": 1, "person": expected_people}
