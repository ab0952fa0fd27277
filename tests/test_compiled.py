"""kg.compiled: patterns compiled once per machine match exactly what re.compile's do."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kg import compiled
from kg.compiled import cache_folder, regex

ROOT = Path(__file__).resolve().parent.parent

PATTERNS = [
    (r"(?<!\w)(?:Việt Nam|Lào|Campuchia)(?!\w)", 0),
    (r"(?P<d>[0-3]?\d)/(?P<m>[01]?\d)(?:/(?P<y>\d{4}))?(?![\d/])", 0),
    (r"(?i:bộ trưởng)(?: bộ)? (?P<body>[^\W\d_]+(?: [^\W\d_]+)*)", 0),
    (r"thủ tướng|chủ tịch", re.IGNORECASE),
    (r"^\s*(?:Ảnh|Nguồn):.*$", re.MULTILINE),
    (r"(a)(b)?(?(2)c|d)", 0),
]


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.setenv("VNKG_CACHE_DIR", str(tmp_path / "cache"))
    return cache_folder()


@pytest.mark.parametrize("source, flags", PATTERNS)
def test_a_kept_pattern_is_the_pattern_re_compile_makes(folder, source, flags):
    first = regex(source, flags)
    files = list(folder.iterdir())
    again = regex(source, flags)
    expected = re.compile(source, flags)
    assert len(files) == 1
    for pattern in (first, again):
        assert pattern == expected  # same source, flags and engine code
        assert (pattern.groups, pattern.groupindex, pattern.flags) == \
               (expected.groups, expected.groupindex, expected.flags)


@pytest.mark.parametrize("source, flags", PATTERNS[:2])
def test_a_kept_pattern_is_read_not_compiled_again(folder, monkeypatch, source, flags):
    regex(source, flags)

    def no_compiling(*args):
        raise AssertionError("compiled again")

    monkeypatch.setattr(compiled, "_compile", no_compiling)
    assert regex(source, flags) == re.compile(source, flags)


@pytest.mark.parametrize("damage", [b"", b"not marshal data", "marshal of another pattern"])
def test_a_damaged_or_foreign_file_is_compiled_again(folder, damage):
    source = r"(?P<year>\d{4})"
    regex(source)
    (path,) = folder.iterdir()
    if damage == "marshal of another pattern":
        import marshal

        damage = marshal.dumps(compiled._compile(r"(?P<year>\d{2})", 0)[1])
    path.write_bytes(damage)
    assert regex(source) == re.compile(source)
    assert regex(source).match("2024").group("year") == "2024"


def test_engine_code_that_fails_its_check_is_compiled_again(folder):
    import marshal

    source = r"ab+c"
    regex(source)
    (path,) = folder.iterdir()
    kept = list(marshal.loads(path.read_bytes()))
    kept[3] = [999999] * len(kept[3])  # not engine code: the engine refuses it as it loads it
    path.write_bytes(marshal.dumps(tuple(kept)))
    assert regex(source) == re.compile(source)


def test_a_cache_folder_that_cannot_be_made_leaves_plain_compiling(tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("VNKG_CACHE_DIR", str(blocker / "cache"))
    assert regex(r"x+y") == re.compile(r"x+y")
    assert blocker.read_text() == "not a folder"


def test_an_empty_cache_dir_setting_turns_the_cache_off(monkeypatch, tmp_path):
    monkeypatch.setenv("VNKG_CACHE_DIR", "")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() is None
    assert regex(r"q+") == re.compile(r"q+")
    assert not any(tmp_path.iterdir())


def test_cache_folder_is_kept_apart_per_python(monkeypatch, tmp_path):
    monkeypatch.delenv("VNKG_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    folder = cache_folder()
    assert folder.parent == tmp_path / "vnkg" / "patterns"
    assert sys.implementation.cache_tag in folder.name and f"{sys.hexversion:x}" in folder.name


def test_a_second_process_reads_the_pipeline_patterns_and_builds_the_same_triples(tmp_path):
    """The pipeline's patterns kept by one process are read by the next, and the triples
    are those of a process that kept nothing."""
    script = textwrap.dedent("""
        import sys
        from kg.article import Article, digest_of
        from kg.step import Builder
        text = ("Hà Nội, 3/5/2024 - Thủ tướng Phạm Minh Chính tiếp Bộ trưởng Ngoại giao Nhật Bản "
                "đang thăm chính thức Việt Nam. Hai bên ký Bản ghi nhớ về hợp tác nông nghiệp.")
        article = Article("a.txt", "a.txt", text, digest=digest_of(text))
        output = Builder().process(article)
        assert output.report.status == "ok", output.report
        sys.stdout.write("\\n".join(output.lines))
    """)

    def run(cache: str) -> str:
        env = {**__import__("os").environ, "VNKG_CACHE_DIR": cache}
        return subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True,
                              text=True, check=True).stdout

    cache = tmp_path / "cache"
    first, second, plain = run(str(cache)), run(str(cache)), run("")
    kept = list(cache.rglob("*"))
    assert len([p for p in kept if p.is_file()]) > 50
    assert first == second == plain
    assert "Phạm Minh Chính" in plain


def test_a_python_whose_re_differs_inside_compiles_without_the_cache(folder, monkeypatch):
    monkeypatch.setattr(compiled, "_compiler", object())  # no code generation where it is looked for
    assert regex(r"(?P<n>\d+) người") == re.compile(r"(?P<n>\d+) người")
    assert not any(folder.iterdir())


@pytest.mark.parametrize("source", [r"(unclosed", r"*nothing to repeat", r"(?P<a>x)(?P<a>y)"])
def test_a_broken_pattern_raises_as_re_compile_does(folder, source):
    with pytest.raises(re.error) as expected:
        re.compile(source)
    with pytest.raises(re.error) as raised:
        regex(source)
    assert str(raised.value) == str(expected.value)
