"""The `kg` program's exit (kg.cli.run): the command's code, what it printed, and every exit handler kept."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run_kg(tmp_path: Path, before: str, *argv: str) -> subprocess.CompletedProcess:
    """`kg ARGV` through kg.cli.run in a fresh process, after the Python lines `before`."""
    script = textwrap.dedent(before) + f"\nimport sys, kg.cli\nsys.argv = ['kg', *{list(argv)!r}]\nkg.cli.run()\n"
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture
def empty(tmp_path):
    folder = tmp_path / "no-articles"
    folder.mkdir()
    return folder


def test_exit_code_and_messages_are_the_commands(tmp_path, empty):
    done = run_kg(tmp_path, "", "build", str(empty), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 1
    assert "nothing could be built" in done.stderr


def test_exit_handlers_run_before_the_process_leaves(tmp_path, empty):
    mark = tmp_path / "handler-ran"
    before = f"""
        import atexit, logging
        atexit.register(lambda: open({str(mark)!r}, "w").write("yes"))
        handler = logging.FileHandler({str(tmp_path / "log.txt")!r}, delay=False)
        logging.getLogger("probe").addHandler(handler)
        logging.getLogger("probe").warning("kept")
    """
    done = run_kg(tmp_path, before, "build", str(empty), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 1
    assert mark.read_text() == "yes"
    assert "kept" in (tmp_path / "log.txt").read_text()


def test_a_command_thread_still_running_is_waited_for(tmp_path, empty):
    mark = tmp_path / "thread-finished"
    before = f"""
        import threading, time
        def late():
            time.sleep(1.0)
            open({str(mark)!r}, "w").write("done")
        threading.Thread(target=late).start()
    """
    done = run_kg(tmp_path, before, "build", str(empty), "--out", str(tmp_path / "out"), "--no-progress")
    assert done.returncode == 1
    assert mark.read_text() == "done"


def test_a_built_summary_reaches_a_pipe_whole(tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    (articles / "a.txt").write_text("Hà Nội, 3/5/2024 - Thủ tướng Phạm Minh Chính tiếp Đại sứ Nhật Bản.\n",
                                    encoding="utf-8")
    done = run_kg(tmp_path, "", "build", str(articles), "--out", str(tmp_path / "out"), "--no-progress",
                  "--no-html")
    assert done.returncode == 0, done.stderr
    assert "built 1 article(s)" in done.stdout
    assert done.stdout.rstrip().endswith("report.json")
    assert (tmp_path / "out" / "graph.ttl").stat().st_size > 0


def test_a_profiled_run_exits_the_ordinary_way_so_the_profile_is_printed(tmp_path, empty):
    done = subprocess.run([sys.executable, "-m", "cProfile", "-s", "cumulative", "-m", "kg.cli", "build", str(empty),
                           "--out", str(tmp_path / "out"), "--no-progress"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert "nothing could be built" in done.stderr
    assert "function calls" in done.stdout and "cumtime" in done.stdout
