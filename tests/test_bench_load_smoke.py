"""`benchmarks/bench_load.py --quick` with tiny bounds: real `microcred serve` processes, issuing
and verifying at once, every row of the report, and a run that checks itself.

Never a speed assertion. On PostgreSQL (the ``storage`` rerun, ``MICROCRED_DATABASE_URL``) the
benchmark creates, copies and drops its own databases on that server; otherwise it uses its
SQLite fallback, so the client, the round robin and the lost/duplicate audit run either way.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.load.databases import postgres_url

BENCH = ROOT / "benchmarks" / "bench_load.py"


@pytest.mark.storage
@pytest.mark.slow
def test_quick_run_serves_issues_and_verifies_on_two_processes(tmp_path: Path) -> None:
    out = tmp_path / "load.json"
    server = postgres_url() or "sqlite"
    done = subprocess.run(
        [sys.executable, str(BENCH), "--quick", "--issues", "6", "--verifies", "6",
         "--clients", "3", "--database-url", server, "--json", str(out)],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert "6 issues + 6 verifications, 3 clients" in done.stdout
    for processes in (1, 2):
        assert re.search(rf"^\s+{processes}(\s+[\d.]+){{7}}\s+0$", done.stdout, re.M), processes
    result = json.loads(out.read_text(encoding="utf-8"))
    assert [r["processes"] for r in result["results"]] == [1, 2]
    for run in result["results"]:
        assert run["issue"]["requests"] == 6 and run["verify"]["requests"] == 6
        assert run["errors"] == 0 and run["problems"] == []


def test_nonsense_bounds_are_refused_in_one_line() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH), "--processes", "0"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "--processes: between 1 and 16 each" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_audit_names_lost_duplicated_and_reused_credentials(tmp_path: Path) -> None:
    """The check that makes the load test mean something fails when the database and the
    201 answers disagree (a credential lost or stored twice, an index reused)."""
    import sqlite3

    sys.path.insert(0, str(BENCH.parent))
    import bench_load

    databases = bench_load.Databases("sqlite", tmp_path)
    url = databases.create("audit")
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute(
            f"CREATE TABLE {bench_load.TABLE} (credential_id TEXT, status_list_id INT, "
            "status_index INT, recipient_email TEXT)"
        )
        rows = [("urn:a", 1, 7, "load0@x"), ("urn:b", 1, 9, "load1@x"), ("urn:p", 1, 3, "p@x")]
        conn.executemany(f"INSERT INTO {bench_load.TABLE} VALUES (?, ?, ?, ?)", rows)
    run = bench_load.Run(["http://127.0.0.1:1"], "t", [], 0.0)
    run.issued = [("urn:a", {}), ("urn:b", {})]
    assert bench_load.audit(databases, url, run) == []
    run.issued = [("urn:a", {})]  # urn:b stored but never answered
    assert bench_load.audit(databases, url, run) == ["2 credentials stored, 1 answered 201"]
    with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
        conn.execute(f"INSERT INTO {bench_load.TABLE} VALUES ('urn:b', 1, 3, 'load1@x')")
    run.issued = [("urn:a", {}), ("urn:b", {})]
    assert bench_load.audit(databases, url, run) == [
        "3 credentials stored, 2 answered 201",
        "a credential id appears twice",
        "a status index was handed out twice",
    ]
