"""Shared fixtures: the loaded pipeline (once per test session) and helpers to run it on text."""
from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def pytest_configure(config):
    """Compiled patterns (kg.compiled) kept in a folder of this session's, not the user's cache."""
    config.pattern_cache = tempfile.mkdtemp(prefix="vnkg-patterns-")
    os.environ["VNKG_CACHE_DIR"] = config.pattern_cache


def pytest_unconfigure(config):
    shutil.rmtree(getattr(config, "pattern_cache", ""), ignore_errors=True)


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
