"""A short run of scripts/loadtest.py: concurrent clients mixing the example queries, no errors."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from serve_helpers import SMALL_GRAPH

ROOT = Path(__file__).resolve().parents[2]


def test_short_load_test_has_no_errors():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "loadtest.py"), "--clients", "5", "--slow-clients", "2", "--duration", "4",
         "--graph", str(SMALL_GRAPH), "--workers", "2", "--json"],
        capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["errors"] == 0
    assert report["slow_requests"] >= 2          # slow senders and readers are answered too
    assert report["requests"] > 50
    assert all(stats["n"] > 0 for stats in report["per_query"].values())
    assert report["p99_ms"] < 2000


def test_load_test_refuses_a_non_loopback_target():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "loadtest.py"), "--url", "http://192.0.2.1:8000",
                             "--duration", "1"], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert result.returncode != 0
    assert "not a loopback address" in result.stderr
