"""Shared fixtures: the loaded pipeline (once per test session) and helpers to run it on text."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def nlp():
    from kg.nlp.pipeline import make_nlp

    return make_nlp()


@pytest.fixture(scope="session")
def analyse(nlp):
    """analyse(text, date=None) -> spaCy Doc of the cleaned text, with entities and facts."""
    from kg.article import Article, digest_of
    from kg.clean import clean
    from kg.nlp.pipeline import analyse as run

    def _analyse(text: str, date: str | None = None):
        article = Article("t.txt", "t.txt", text, date=dt.date.fromisoformat(date) if date else None,
                          digest=digest_of(text))
        return run(nlp, clean(article))

    return _analyse
