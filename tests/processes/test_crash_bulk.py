"""SIGKILL a worker in the middle of a bulk job, take over with other workers: every row is
issued exactly once, with its audit event and a status index of its own."""

from __future__ import annotations

from typing import Any

import pytest

from tests.processes.conftest import TIMEOUT, World

# One xdist worker runs them all (`--dist loadgroup`): one migrated template database.
pytestmark = [pytest.mark.storage, pytest.mark.xdist_group("processes")]
ROWS = 250  # three chunks of 100: the kill comes after the second is stored, before it is settled


def test_a_killed_bulk_worker_is_taken_over_and_every_row_is_issued_once(world: World) -> None:
    job = world.action("bulk", str(ROWS))["job"]
    first = world.worker("w1", pause="bulk.chunk-issued:2")
    world.wait_paused("w1", first)
    world.kill(first)

    middle = world.action("report")
    assert middle["credentials"] == 200  # two chunks stored...
    assert middle["rows"] == {"issued": 100, "pending": 150}  # ...one of them settled
    assert _bulk_tasks(middle) == [["RUNNING", ["w1"]]]  # orphaned

    # Meanwhile a second file is queued twice: two tasks for one job.
    second = world.action("bulk", "180", "2", str(ROWS))["job"]
    world.worker("w2")
    world.worker("w3")
    done = world.action("wait", "tasks", str(TIMEOUT))

    assert done["jobs"][str(job)] == dict(
        state="done", issued=ROWS, skipped=0, failed=0, total=ROWS
    )
    # The second file's rows were all issued, not "skipped", whichever worker took them.
    assert done["jobs"][str(second)] == dict(
        state="done", issued=180, skipped=0, failed=0, total=180
    )
    assert done["rows"] == {"issued": ROWS + 180} and done["rows_linked"] == ROWS + 180
    assert done["credentials"] == ROWS + 180
    assert set(done["keys"].values()) == {1}  # one credential per idempotency key
    assert done["indexes_unique"] and done["issued_events_ok"]
    assert done["finished"] == {f"bulk job {job}": 1, f"bulk job {second}": 1}
    assert {status for _, status, _ in done["tasks"]} == {"SUCCESSFUL"}  # claim emails too
    # The orphan was taken over once; every other task ran on one worker only.
    orphan, *others = _bulk_tasks(done)
    assert orphan[1][0] == "w1" and len(orphan[1]) == 2 and orphan[1][1] in ("w2", "w3")
    assert len(others) == 2
    rest = [ids for name, _, ids in done["tasks"] if name != "run_bulk_job" or ids[0] != "w1"]
    assert all(len(ids) == 1 and ids[0] in ("w2", "w3") for ids in rest)


def _bulk_tasks(facts: dict[str, Any]) -> list[list[Any]]:
    return [[status, ids] for name, status, ids in facts["tasks"] if name == "run_bulk_job"]
