"""`benchmarks/bench_skills.py --quick` runs end to end and reports every number.

Never a speed assertion (wall-clock numbers are noise in a test): what is checked is that
both engines ran on the sizes asked, the greedy was never cheaper than the exact plan, and
the report and the JSON agree.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_skills.py"


def test_quick_run_reports_matching_and_paths(tmp_path: Path) -> None:
    out = tmp_path / "skills.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--learners", "800", "--catalogs", "60", "150",
         "--json", str(out)],
        capture_output=True, text=True, timeout=180, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "matching: 800 learners" in text
    assert re.search(r"^rank top 50\s+[\d.]+ ms", text, re.M)
    assert re.search(r"^peak memory\s+[\d.]+ MiB", text, re.M)
    rows = re.findall(r"^\s+(60|150)\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", text, re.M)
    assert [size for size, _ in rows] == ["60", "150"]
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["matching"]["learners"] == 800
    assert 0 < result["matching"]["ranked"] < 800  # must-haves filtered some out
    assert result["matching"]["returned"] == min(50, result["matching"]["ranked"])
    for row, (_, ratio) in zip(result["paths"], rows, strict=True):
        assert row["targets"] == 3
        assert row["greedy_over_exact_mean"] >= 1.0  # exact is optimal
        assert float(ratio) == round(row["greedy_over_exact_mean"], 3)


def test_bad_sizes_are_refused_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--catalogs", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "must be at least 1" in done.stderr
    assert "Traceback" not in done.stderr
