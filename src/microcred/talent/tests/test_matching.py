"""Candidate matching through the app: consent, scope, freshness and ranking."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from microcred.credentials import revocation
from microcred.delivery.services import claim_all_for_user
from microcred.sharing import services as sharing
from microcred.talent import selectors, services
from microcred.talent.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.storage]


def _names(role: Role) -> list[str]:
    return [c.match.candidate.display_name for c in selectors.candidates(role)]


@pytest.fixture
def people(
    learner: Callable[..., Any], definition_for: Callable[..., Any], give: Callable[..., Any]
) -> dict[str, Any]:
    """ana covers everything at level 6; bo the must-haves only; cy lacks data cleaning;
    dee covers everything too but never opts in."""
    full = definition_for("sql", "data-cleaning", "statistics", "data-visualisation", level=6)
    musts = definition_for("sql", "data-cleaning", level=5)
    sql = definition_for("sql", level=6)
    made = {name: learner(name) for name in ("ana", "bo", "cy", "dee")}
    issued = {
        "ana": give(made["ana"], full),
        "bo": give(made["bo"], musts),
        "cy": give(made["cy"], sql),
        "dee": give(made["dee"], full),
    }
    for name in ("ana", "bo", "cy"):
        services.opt_in(made[name], display_name=name.title())
    return made | {f"{name}_credential": row for name, row in issued.items()}


def test_ranks_as_a_recruiter_would_and_filters_on_must_haves(
    people: dict[str, Any], analyst_role: Role
) -> None:
    assert _names(analyst_role) == ["Ana", "Bo"]  # cy lacks a must-have; dee never opted in
    best = selectors.candidates(analyst_role)[0]
    statuses = {s.label: s.status for s in best.match.skills}
    assert statuses == dict.fromkeys(
        ("sql", "data cleaning", "statistics", "data visualisation"), "matched"
    )
    proof = best.match.skills[0].evidence[0]
    assert proof.credential_name and proof.issuer_name == "Uni University B.V."


def test_the_explanation_names_missing_skills(people: dict[str, Any], analyst_role: Role) -> None:
    bo = selectors.candidates(analyst_role)[1]
    statuses = {s.label: s.status for s in bo.match.skills}
    assert statuses["statistics"] == "missing" and statuses["sql"] == "matched"


def test_who_never_opted_in_or_opted_out_never_appears(
    people: dict[str, Any], analyst_role: Role
) -> None:
    services.opt_out(people["ana"])
    assert _names(analyst_role) == ["Bo"]
    services.opt_out(people["bo"])
    assert _names(analyst_role) == []


def test_a_revoked_credential_drops_out_at_once_even_without_the_hook(
    people: dict[str, Any], analyst_role: Role, issuer: Any
) -> None:
    # No on-commit callbacks run in this test: the index still has the row; the query
    # re-checks the credential's state.
    revocation.revoke(actor=issuer, credential=people["ana_credential"], reason="fraud")
    assert _names(analyst_role) == ["Bo"]


def test_public_only_scope_shows_only_public_credentials(
    people: dict[str, Any], analyst_role: Role
) -> None:
    claim_all_for_user(people["ana"])  # a claimed credential's public flag is the wallet's
    services.opt_in(people["ana"], scope="public", display_name="Ana")
    assert _names(analyst_role) == ["Bo"]
    key = "c" + people["ana_credential"].credential_id.removeprefix("urn:uuid:")
    sharing.set_public(people["ana"], {key})
    assert _names(analyst_role) == ["Ana", "Bo"]


def test_contact_only_when_the_learner_allows_it(
    people: dict[str, Any], analyst_role: Role
) -> None:
    assert [c.contact for c in selectors.candidates(analyst_role)] == [None, None]
    services.opt_in(people["bo"], display_name="Bo", show_contact=True)
    contacts = {
        c.match.candidate.display_name: c.contact for c in selectors.candidates(analyst_role)
    }
    assert contacts == {"Ana": None, "Bo": people["bo"].email}
