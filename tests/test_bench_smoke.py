"""`benchmarks/bench_proofs.py --quick` runs end to end and reports every row and target.

Never a speed assertion (wall-clock numbers are noise in a test); what is checked is that
`make bench` works: each operation is measured, the ratios are computed, and each target gets
a verdict, in the table and in the JSON file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks" / "bench_proofs.py"
ALWAYS_MEASURED = {
    "raw Ed25519 sign 64 B",
    "raw Ed25519 verify 64 B",
    "pyld jsonld.normalize (plain, warm)",
    "rdfc.canonicalize_reference (pyld)",
    "rdfc sign, straightforward pyld",
    "rdfc sign, BatchSigner",
    "rdfc verify, straightforward pyld",
    "rdfc verify, verify_proof",
    "jcs sign, BatchSigner",
    "jcs verify, verify_proof",
    "VC-JWT EdDSA sign",
    "VC-JWT EdDSA verify",
}


def test_quick_benchmark_prints_the_table_and_a_verdict_per_target(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "x raw Ed25519" in done.stdout
    result = json.loads(out.read_text(encoding="utf-8"))
    assert not ALWAYS_MEASURED - set(result["results"]), done.stderr
    for name, row in result["results"].items():
        assert row["ops_per_s"] > 0 and len(row["runs_ms"]) >= 3, name
        assert name in done.stdout
    assert [t["status"] in ("PASS", "MISS") for t in result["targets"]] == [True, True, True]
    for target in result["targets"]:
        assert f"{target['status']:<4}  {target['target']}" in done.stdout


def test_bad_template_is_one_clear_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--template", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "no template credential" in done.stderr and "Traceback" not in done.stderr
