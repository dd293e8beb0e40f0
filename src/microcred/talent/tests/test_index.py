"""The matching index follows consent and the credentials' lives through the hooks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from microcred.credentials import issuing
from microcred.credentials.revocation import revoke
from microcred.talent import services
from microcred.talent.models import HeldSkill
from microcred.talent.tests.conftest import uri

pytestmark = [pytest.mark.django_db, pytest.mark.storage]


def _held(user: Any) -> set[tuple[str, int | None]]:
    return set(HeldSkill.objects.filter(owner=user).values_list("skill_uri", "level"))


def test_opting_in_indexes_each_aligned_skill_at_the_credentials_level(
    learner: Callable[..., Any], definition_for: Callable[..., Any], give: Callable[..., Any]
) -> None:
    ana = learner("ana")
    give(ana, definition_for("sql", "data-cleaning", level=5))
    assert _held(ana) == set()  # nothing is indexed before consent
    services.opt_in(ana, display_name="Ana")
    assert _held(ana) == {(uri("sql"), 5), (uri("data-cleaning"), 5)}
    row = HeldSkill.objects.filter(owner=ana).first()
    assert row is not None and row.credential_key.startswith("c") and row.trust == 1.0


def test_opting_out_deletes_the_index_at_once(
    learner: Callable[..., Any], definition_for: Callable[..., Any], give: Callable[..., Any]
) -> None:
    ana = learner("ana")
    give(ana, definition_for("sql"))
    services.opt_in(ana)
    services.opt_out(ana)
    assert _held(ana) == set()
    consent = services.consent_of(ana)
    assert consent is not None and consent.opted_in is False


def test_hooks_index_new_credentials_of_consenting_learners_only(
    learner: Callable[..., Any],
    definition_for: Callable[..., Any],
    give: Callable[..., Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana, bob = learner("ana"), learner("bob")
    services.opt_in(ana)
    sql = definition_for("sql")
    with django_capture_on_commit_callbacks(execute=True):
        give(ana, sql)
        give(bob, sql)
    assert _held(ana) == {(uri("sql"), 6)}
    assert not HeldSkill.objects.filter(owner=bob).exists()


def test_a_bulk_batch_is_indexed_for_its_consenting_recipients(
    learner: Callable[..., Any],
    definition_for: Callable[..., Any],
    issuer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    people = [learner(f"l{n}") for n in range(4)]
    services.opt_in(people[1])
    services.opt_in(people[3])
    stats = definition_for("statistics", level=4)
    rows = [{"recipient_email": p.email.upper()} for p in people]
    with django_capture_on_commit_callbacks(execute=True):
        issuing.issue_batch(actor=issuer, definition=stats, rows=rows)
    indexed = set(HeldSkill.objects.values_list("owner_id", flat=True))
    assert indexed == {people[1].pk, people[3].pk}


def test_revocation_removes_the_credentials_rows(
    learner: Callable[..., Any],
    definition_for: Callable[..., Any],
    give: Callable[..., Any],
    issuer: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ana = learner("ana")
    services.opt_in(ana)
    with django_capture_on_commit_callbacks(execute=True):
        sql = give(ana, definition_for("sql"))
        give(ana, definition_for("statistics"))
    with django_capture_on_commit_callbacks(execute=True):
        revoke(actor=issuer, credential=sql, reason="exam fraud")
    assert _held(ana) == {(uri("statistics"), 6)}
