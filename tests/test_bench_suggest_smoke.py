"""`benchmarks/bench_suggest.py` runs end to end on the shared ESCO files and reports every
number (no speed assertion: wall-clock numbers are noise in a test)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, SHARED

BENCH = ROOT / "benchmarks" / "bench_suggest.py"


def test_tfidf_run_reports_accuracy_and_speed(tmp_path: Path) -> None:
    out = tmp_path / "suggest.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), str(SHARED / "data"), "--backend", "tfidf", "--limit", "400",
         "--json", str(out)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "ESCO labelled set: 400 skills, 400 examples" in done.stdout
    for label in ("top-1 accuracy", "top-5 accuracy", "batched", "one query", "peak RSS"):
        assert re.search(rf"^\s+{label}\s+[\d.,]+", done.stdout, re.M), label
    result = json.loads(out.read_text(encoding="utf-8"))["results"][0]
    assert result["backend"] == "tfidf" and result["whole"]["examples"] == 400
    assert 0 < result["whole"]["top1"] <= result["whole"]["top5"] <= 1


def test_a_missing_folder_is_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), str(tmp_path), "--backend", "tfidf"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2 and "no ESCO collection files" in done.stderr
