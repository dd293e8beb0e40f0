"""SIGKILL a process in the middle of a revocation batch, and again while it re-signs the
status list: afterwards every status bit of the signed list matches its credential's state,
and every revocation has its audit event."""

from __future__ import annotations

import pytest

from tests.processes.conftest import World

# One xdist worker runs them all (`--dist loadgroup`): one migrated template database.
pytestmark = [pytest.mark.storage, pytest.mark.xdist_group("processes")]


def test_killed_revocations_and_resigning_leave_every_status_bit_right(world: World) -> None:
    assert world.action("issue", "30") == {"issued": 30}
    revoker = world.actor("revoker", "revoke-all", pause="revocation.bit-set:10")
    world.wait_paused("revoker", revoker)  # the 10th bit is set, not yet committed
    world.kill(revoker)

    middle = world.action("report")
    assert middle["states"] == {"revoked": 9, "active": 21}
    assert middle["wrong_bits"] == [] and middle["revoked_events_ok"]
    assert middle["cached_lists"] == 0  # each revocation dropped the signed list

    assert world.action("revoke-all") == {"revoked": 21}  # the rerun does the rest
    signer = world.actor("signer", "sign-lists", pause="statuslist.signed")
    world.wait_paused("signer", signer)  # signed, not yet cached
    world.kill(signer)

    after = world.action("report")
    assert after["cached_lists"] == 0  # nothing half-cached: the next request signs again
    assert after["states"] == {"revoked": 30}
    assert after["wrong_bits"] == [] and after["revoked_events_ok"]
    assert after["indexes_unique"] and after["issued_events_ok"]
