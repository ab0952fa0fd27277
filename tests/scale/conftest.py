"""Corpora for the scale tests: the five sample articles, and the samples with generated articles beside them."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "data" / "articles"


@pytest.fixture(scope="session")
def samples() -> Path:
    return SAMPLES


@pytest.fixture(scope="session")
def samples_with_a_copy(tmp_path_factory) -> Path:
    """The samples, and one of them again under another name: one text in two files."""
    folder = tmp_path_factory.mktemp("copied")
    for path in SAMPLES.iterdir():
        shutil.copy(path, folder / path.name)
    first = sorted(SAMPLES.iterdir())[0]
    shutil.copy(first, folder / f"zz_copy_of_{first.name}")
    return folder


@pytest.fixture(scope="session")
def mixed_corpus(tmp_path_factory) -> Path:
    """The samples plus 11 generated articles in a JSONL file: .txt and .jsonl inputs, 16 articles."""
    from kg.synthetic import write_corpus

    folder = tmp_path_factory.mktemp("mixed")
    for path in SAMPLES.iterdir():
        shutil.copy(path, folder / path.name)
    write_corpus(folder / "generated", 11, seed=3)
    return folder


@pytest.fixture(scope="session")
def build():
    """build(paths, out, **options) -> (result, graph.ttl bytes, report.json as a dict), by build_corpus."""
    import json

    from kg.builder import build_corpus, write_outputs

    def run(paths, out: Path, **options):
        result = build_corpus([str(p) for p in paths], **options)
        write_outputs(result, out)
        result.close()
        return result, (out / "graph.ttl").read_bytes(), json.loads((out / "report.json").read_text("utf-8"))

    return run
