"""`benchmarks/bench_pathways.py --quick` runs end to end and reports every number.

Never a speed assertion (wall-clock numbers are noise in a test): what is checked is that
the run evaluates learners against pathways, reports the rates, and that the mention counter
shows an award touching only some of the pathways.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_pathways.py"


def test_quick_run_reports_rates_and_the_mention_counter(tmp_path: Path) -> None:
    out = tmp_path / "pathways.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--learners", "500", "--json", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert "500 learners x 20 pathways" in text
    for label in ("learners per second", "pairs per second", "evaluations per second"):
        assert re.search(rf"^{label}\s+[\d,]+", text, re.M), label
    counter = re.search(r"^1 award re-evaluates ([\d.]+) of 20 pathways", text, re.M)
    assert counter, text
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["learners"] == 500 and result["pathways"] == 20
    assert 0 < result["evaluations"] < 500 * 20  # the index skipped untouched pairs
    assert 0 < result["award_touches_mean"] < 20
    assert float(counter.group(1)) == round(result["award_touches_mean"], 1)


def test_bad_sizes_are_refused_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--learners", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--learners and --pathways must be at least 1" in done.stderr
    assert "Traceback" not in done.stderr
