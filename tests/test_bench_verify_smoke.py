"""`benchmarks/bench_verify_api.py --quick` verifies through a real server and reports every row.

Never a speed assertion (wall-clock numbers are noise in a test): what is checked is that the
benchmark works end to end — a fresh database, credentials issued, a server process on
loopback answering ``POST /api/v1/verify`` with ``valid`` for every credential (the run
fails otherwise), the engine's rates beside the API's, and the same numbers in the JSON.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_verify_api.py"
ROWS = (
    "engine: verify_document, fresh options",
    "engine: verify_document, one options",
    "API: 1 credential per request",
    "API: 5 credentials per request",
    "API: 20 credentials per request",
)


@pytest.mark.xdist_group("browser")
def test_quick_run_reports_the_api_next_to_the_engine(tmp_path: Path) -> None:
    out = tmp_path / "verify.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--credentials", "20", "--batches", "5", "20",
         "--json", str(out)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "20 credentials (eddsa-rdfc-2022, did:key, status list)" in done.stdout
    for row in ROWS:
        assert re.search(
            rf"^{re.escape(row)}\s+[\d.]+\s+\d+\s+[\d.]+\s+[\d.]+$", done.stdout, re.M
        ), row
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["credentials"] == 20
    assert list(result["results"]) == list(ROWS)
    assert all(entry["rate"] > 0 for entry in result["results"].values())


def test_batches_larger_than_the_api_limit_are_refused_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--credentials", "2000", "--batches", "1500"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "each batch size must be between 1 and min(1000, --credentials)" in done.stderr
    assert "Traceback" not in done.stderr
