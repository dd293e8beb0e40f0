"""SIGKILL a worker while it awards a pathway's stacked credential, restart it: every
learner is awarded exactly once, and every credential issued has its audit events."""

from __future__ import annotations

import pytest

from tests.processes.conftest import TIMEOUT, World

# One xdist worker runs them all (`--dist loadgroup`): one migrated template database.
pytestmark = [pytest.mark.storage, pytest.mark.xdist_group("processes")]
LEARNERS = 6


def test_a_worker_killed_while_awarding_awards_each_learner_once(world: World) -> None:
    world.action("pathway", str(LEARNERS))  # publishing queued the re-evaluation job
    pupils = [f"pupil{n}@example.com" for n in range(LEARNERS)]
    first = world.worker("w1", pause="pathways.award-issued:3")
    world.wait_paused("w1", first)  # the third award's credential is signed, not committed
    world.kill(first)

    middle = world.action("report")
    assert middle["awards"] == {pupils[0]: 1, pupils[1]: 1}
    # Two components each, and the stacked credential for the first two only: the third
    # learner's was rolled back with its award.
    assert middle["recipients"] == {p: 3 if n < 2 else 2 for n, p in enumerate(pupils)}

    world.worker("w1")  # the same id again: it takes over its previous life's task
    done = world.action("wait", "tasks", str(TIMEOUT))
    assert done["awards"] == {pupil: 1 for pupil in pupils}
    assert done["recipients"] == {pupil: 3 for pupil in pupils}
    assert done["award_credentials_ok"] and done["awarded_events_ok"]
    assert done["issued_events_ok"] and done["indexes_unique"]
    assert set(done["keys"].values()) == {1}
    assert [t[2] for t in done["tasks"] if t[0] == "reevaluate_pathway"] == [["w1", "w1"]]
    assert {status for _, status, _ in done["tasks"]} == {"SUCCESSFUL"}
