"""The index's copies of state and public flags are kept by hooks; when a hook is missed,
the re-check of the shown candidates still keeps revoked or private credentials out and
refills the list from the next in line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from microcred.credentials.models import IssuedCredential
from microcred.talent import selectors, services
from microcred.talent.models import HeldSkill, Role

pytestmark = [pytest.mark.django_db, pytest.mark.storage]


@pytest.fixture
def two(
    learner: Callable[..., Any], definition_for: Callable[..., Any], give: Callable[..., Any]
) -> dict[str, Any]:
    full = definition_for("sql", "data-cleaning", "statistics", "data-visualisation", level=6)
    musts = definition_for("sql", "data-cleaning", level=5)
    ana, bo = learner("ana"), learner("bo")
    made = {
        "ana": ana,
        "bo": bo,
        "ana_credential": give(ana, full),
        "bo_credential": give(bo, musts),
    }
    services.opt_in(ana, display_name="Ana")
    services.opt_in(bo, display_name="Bo")
    return made


def _names(role: Role, limit: int = 50) -> list[str]:
    return [c.match.candidate.display_name for c in selectors.candidates(role, limit=limit)]


def test_a_revocation_no_hook_saw_drops_out_and_the_next_fills_the_place(
    two: dict[str, Any], analyst_role: Role
) -> None:
    assert _names(analyst_role, limit=1) == ["Ana"]
    IssuedCredential.objects.filter(pk=two["ana_credential"].pk).update(state="revoked")
    assert HeldSkill.objects.filter(owner=two["ana"], usable=True).exists()  # stale copy
    assert _names(analyst_role, limit=1) == ["Bo"]


def test_an_opt_out_no_hook_saw_hides_the_learner(two: dict[str, Any], analyst_role: Role) -> None:
    from microcred.talent.models import MatchingConsent

    MatchingConsent.objects.filter(owner=two["ana"]).update(opted_in=False)
    assert _names(analyst_role) == ["Bo"]


def test_a_public_only_scope_no_hook_saw_hides_private_credentials(
    two: dict[str, Any], analyst_role: Role
) -> None:
    from microcred.talent.models import MatchingConsent

    MatchingConsent.objects.filter(owner=two["ana"]).update(scope="public")
    assert _names(analyst_role) == ["Bo"]


def test_revoking_through_the_service_updates_the_index_copy_at_once(
    two: dict[str, Any], analyst_role: Role, issuer: Any
) -> None:
    from microcred.credentials import revocation

    revocation.revoke(actor=issuer, credential=two["ana_credential"], reason="fraud")
    assert not HeldSkill.objects.filter(owner=two["ana"], usable=True).exists()
    assert _names(analyst_role) == ["Bo"]
