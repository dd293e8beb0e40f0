"""Two real processes issue and revoke on the same status list at once: no update is lost.

Each actor (a separate Python process with its own database connection) issues a credential
and revokes one in every round, all on one provider's revocation list, and sets and clears
bits on its suspension list, started together. On
SQLite (a file in WAL mode) the writers queue on the database lock (IMMEDIATE transactions,
a busy timeout), on PostgreSQL on row locks; either way, afterwards the signed list, decoded,
has every revoked credential's bit set and every other bit clear, every index is allocated
and unique, and no process saw an error (``database is locked`` or a deadlock included).
Runs on PostgreSQL in the ``storage`` rerun (``MICROCRED_DATABASE_URL``).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.load.databases import scratch_database
from tests.load.servers import ACTORS_SCRIPT, run_actor, script_env

ACTORS = 2
SEEDED = 24  # revoked by the actors first: pure bit flips racing with allocations
ITERATIONS = 40  # bounded: a few seconds per actor

pytestmark = [pytest.mark.storage, pytest.mark.slow]


def _race(url: str, data_dir: Path) -> list[dict[str, Any]]:
    """Start the actors, release them together once all are ready, collect their reports."""
    go = data_dir / "go"
    actors = [
        subprocess.Popen(
            [
                sys.executable,
                str(ACTORS_SCRIPT),
                "work",
                url,
                str(data_dir),
                str(number),
                str(ACTORS),
                str(ITERATIONS),
                str(go),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=script_env(),
        )
        for number in range(ACTORS)
    ]
    try:
        for actor in actors:
            assert actor.stdout is not None
            line = actor.stdout.readline()
            assert line.strip() == "ready", actor.communicate(timeout=60)[1]
        go.touch()
        reports = []
        for actor in actors:
            out, err = actor.communicate(timeout=300)
            assert actor.returncode == 0, err
            assert "database is locked" not in err and "deadlock" not in err.lower(), err
            reports.append(json.loads(out.splitlines()[-1]))
        return reports
    finally:
        for actor in actors:
            if actor.poll() is None:
                actor.kill()
                actor.wait()


def test_two_processes_issuing_and_revoking_on_one_list_lose_no_update(tmp_path: Path) -> None:
    with scratch_database(tmp_path, "race") as url:
        seeded = run_actor("setup", url, tmp_path, str(SEEDED))["seeded"]
        reports = _race(url, tmp_path)
        state = run_actor("check", url, tmp_path)

    issued = [cid for report in reports for cid in report["issued"]]
    revoked = {cid for report in reports for cid in report["revoked"]}
    suspended = {cid for report in reports for cid in report["suspended"]}
    assert len(issued) == 2 * ACTORS * ITERATIONS
    assert set(seeded) <= revoked  # every seeded credential was revoked by one actor
    rows = state["credentials"]
    assert {row["id"] for row in rows} == set(seeded) | set(issued)
    assert len(rows) == SEEDED + 2 * ACTORS * ITERATIONS
    # No index handed out twice on a list, every one allocated, nothing else allocated.
    indexes = [(row["list"], row["index"]) for row in rows]
    assert len(set(indexes)) == len(indexes)
    assert all(row["allocated"] == 1 for row in rows)
    assert state["allocated"] == len(rows) and state["lists"] == 2
    # No lost update: each state is what the actors did, and the published bit says it.
    assert {row["id"] for row in rows if row["state"] == "revoked"} == revoked
    assert {row["id"] for row in rows if row["state"] == "suspended"} == suspended
    wrong = [row for row in rows if row["bit"] != (1 if row["id"] in revoked | suspended else 0)]
    assert wrong == []
    # The audit log saw every issue and every revocation.
    assert state["issued_events"] == len(rows)
    assert state["revoked_events"] == len(revoked)
