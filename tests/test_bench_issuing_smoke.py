"""`benchmarks/bench_issuing.py --quick` issues through the platform and reports every row.

Never a speed assertion (wall-clock numbers are noise in a test): what is checked is that the
benchmark works end to end on a fresh SQLite database — every path issued all its rows (the
child exits non-zero otherwise), each gets a rate, an overhead share and a PASS/MISS verdict,
memory is sampled at 10%, 50% and 100%, and the JSON file carries the same numbers.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_issuing.py"
ROWS = 50


def test_quick_run_reports_every_path_memory_and_the_overhead_verdict(tmp_path: Path) -> None:
    out = tmp_path / "issuing.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--rows", str(ROWS), "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert f"sqlite, {ROWS} credentials per path" in text
    for row in (
        "engine: BatchSigner eddsa-rdfc-2022",
        "issue_credential, one by one",
        "bulk job (create_job + run_job)",
    ):
        assert re.search(rf"^{re.escape(row)}\s+[\d.]+\s+\d+\s+[\d.]+", text, re.M), row
    # The engine signs each path's own credentials: one engine line per path.
    assert text.count("engine: BatchSigner eddsa-rdfc-2022") == 2
    for path in ("single", "bulk"):
        assert re.search(rf"^memory {path}\s+RSS MiB at rows \d+: [\d.]+, ", text, re.M), path
        verdict = rf"^(PASS|MISS)  sqlite {path}: platform overhead -?\d+% of the total"
        assert re.search(verdict, text, re.M), path
    [result] = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert result["database"] == "sqlite" and result["rows"] == ROWS
    assert result["engine"]["rows"] == ROWS and result["engine"]["rate"] > 0
    for path in ("single", "bulk"):
        measured = result[path]
        assert measured["rows"] == ROWS and measured["rate"] > 0
        assert measured["engine_rate"] > measured["rate"]
        assert measured["overhead"] < 1
        assert [m["rows"] for m in measured["memory"]] == [5, 25, 50]


def test_rows_beyond_one_status_list_are_refused_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--rows", "200000", "--database", "sqlite"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "--rows must be between 1 and 130000" in done.stderr
    assert "Traceback" not in done.stderr


def test_paths_can_be_chosen(tmp_path: Path) -> None:
    out = tmp_path / "bulk.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--rows", "20", "--paths", "bulk",
         "--json", str(out)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "bulk job (create_job + run_job)" in done.stdout
    assert "issue_credential, one by one" not in done.stdout
    [result] = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert result["paths"] == ["bulk"] and "single" not in result
