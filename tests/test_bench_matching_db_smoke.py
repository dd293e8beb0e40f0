"""`benchmarks/bench_matching_db.py` fills a database and reports every number.

Never a speed assertion (wall-clock numbers are noise in a test): what is checked is that
the benchmark works end to end on a fresh SQLite file, that the selector and the engine
returned the same candidates (the script asserts it), and the report and the JSON agree.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_matching_db.py"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MICROCRED_DATABASE_URL"}  # SQLite
    return subprocess.run(
        [sys.executable, str(BENCH), *args],
        capture_output=True, text=True, timeout=180, check=False, env=env,
    )  # fmt: skip


def test_small_run_reports_selector_query_engine_and_memory(tmp_path: Path) -> None:
    out = tmp_path / "matching.json"
    done = _run("--learners", "300", "--repeat", "1", "--json", str(out))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "matching through the database: sqlite, 300 opted-in learners" in text
    for row in ("selector (candidates)", "query + build", "engine (rank) alone"):
        assert re.search(rf"^{re.escape(row)}\s+[\d.]+ ms", text, re.M), row
    assert re.search(r"^selector / engine\s+[\d.]+ x", text, re.M)
    assert re.search(r"^peak memory\s+[\d.]+ MiB", text, re.M)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["database"] == "sqlite" and result["learners"] == 300
    rows = result["rows"]
    assert rows["users"] == 300 and rows["issued"] >= 300  # 1-4 credentials each
    assert 3 * 300 <= rows["held"] <= 15 * 300  # 3-12 skills each, plus imports
    assert 0 < result["ranked"] <= result["with_evidence"] < 300
    assert result["returned"] == min(50, result["ranked"])
    assert result["peak_bytes"] > 0


def test_bad_sizes_are_refused_in_one_line() -> None:
    done = _run("--learners", "0")
    assert done.returncode == 2
    assert "must be at least 1" in done.stderr
    assert "Traceback" not in done.stderr
