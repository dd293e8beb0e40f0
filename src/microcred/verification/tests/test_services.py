"""Writing the registry: clear field errors, one audit event per change, operator only."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from microcred.providers.models import AuditEvent
from microcred.verification import services
from microcred.verification.models import TrustedIssuer

pytestmark = pytest.mark.django_db

DID = "did:web:example.edu"


def _errors(call: Callable[[], Any]) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        call()
    return raised.value.message_dict


def test_an_operator_creates_an_entry_and_the_audit_log_says_so(operator: Any) -> None:
    issuer = services.create_trusted_issuer(
        actor=operator,
        name=" Example University ",
        vetting_method="accreditation",
        vetted_by="NVAO",
        vetted_on=datetime.date(2025, 3, 1),
        dids=[DID],
        domains=["HTTPS://Example.edu/"],
    )
    assert issuer.name == "Example University" and issuer.state == "active"
    assert [d.did for d in issuer.dids.all()] == [DID]
    assert [d.domain for d in issuer.domains.all()] == ["example.edu"]
    event = AuditEvent.objects.get(action="trusted_issuer.created")
    assert event.actor == operator and event.provider is None
    assert event.subject == "Example University"
    assert event.details["dids"] == [DID] and event.details["vetted_on"] == "2025-03-01"


def test_every_bad_field_is_named(operator: Any) -> None:
    errors = _errors(
        lambda: services.create_trusted_issuer(
            actor=operator,
            name="",
            vetting_method="gut feeling",
            website="not a url",
            dids=["did:web:example.edu#key-1", "https://example.edu"],
            domains=["example.edu/path"],
        )
    )
    assert set(errors) == {"name", "vetting_method", "website", "dids", "domains"}
    assert "'did:web:example.edu#key-1': enter the DID itself" in errors["dids"][0]
    assert "'https://example.edu': a DID starts with 'did:'" in errors["dids"][1]
    assert "host name only" in errors["domains"][0]
    assert not TrustedIssuer.objects.exists() and not AuditEvent.objects.exists()


def test_a_did_or_domain_names_one_entry_only(make_issuer: Callable[..., Any]) -> None:
    make_issuer("Example University", dids=[DID], domains=["example.edu"])
    errors = _errors(lambda: make_issuer("Copycat", dids=[DID], domains=["EXAMPLE.edu"]))
    assert errors["dids"] == ["'did:web:example.edu' is already listed under 'Example University'"]
    assert errors["domains"] == ["'example.edu' is already listed under 'Example University'"]
    repeated = _errors(lambda: make_issuer("Twice", domains=["a.example", "A.example"]))
    assert repeated["domains"] == ["'a.example' is listed twice"]
    assert TrustedIssuer.objects.count() == 1


def test_update_replaces_identifiers_and_records_what_changed(
    operator: Any, make_issuer: Callable[..., Any]
) -> None:
    issuer = make_issuer("Example University", dids=[DID], domains=["example.edu"])
    services.update_trusted_issuer(
        actor=operator,
        issuer=issuer,
        vetted_by="NVAO (renewed)",
        dids=[DID, "did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"],
        domains=[],
    )
    issuer.refresh_from_db()
    assert issuer.vetted_by == "NVAO (renewed)" and issuer.domains.count() == 0
    assert issuer.dids.count() == 2
    changes = AuditEvent.objects.get(action="trusted_issuer.updated").details["changes"]
    assert changes["vetted_by"] == {"from": "NVAO", "to": "NVAO (renewed)"}
    assert changes["domains"] == {"added": [], "removed": ["example.edu"]}
    assert changes["dids"]["added"] == ["did:key:z6MknNQD1WHLGGraFi6zcbGevuAgkVfdyCdtZnQTGWVVvR5Q"]
    # Saving the same values again is not a change.
    services.update_trusted_issuer(actor=operator, issuer=issuer, vetted_by="NVAO (renewed)")
    assert AuditEvent.objects.filter(action="trusted_issuer.updated").count() == 1


def test_suspend_and_reactivate_are_audited_once(
    operator: Any, make_issuer: Callable[..., Any]
) -> None:
    issuer = make_issuer("Example University", dids=[DID])
    services.suspend(actor=operator, issuer=issuer, reason="accreditation lapsed")
    services.suspend(actor=operator, issuer=issuer)  # already suspended: nothing to record
    issuer.refresh_from_db()
    assert issuer.state == "suspended"
    services.reactivate(actor=operator, issuer=issuer)
    issuer.refresh_from_db()
    assert issuer.state == "active"
    actions = list(AuditEvent.objects.values_list("action", "details"))
    assert actions[1:] == [
        ("trusted_issuer.suspended", {"reason": "accreditation lapsed"}),
        ("trusted_issuer.reactivated", {}),
    ]


def test_only_the_operator_may_write(
    make_user: Callable[..., Any], make_issuer: Callable[..., Any]
) -> None:
    issuer = make_issuer("Example University")
    staff = make_user("staff", is_staff=True)  # staff, but not given the registry permissions
    for actor in (AnonymousUser(), staff, make_user("learner")):
        with pytest.raises(PermissionDenied):
            services.create_trusted_issuer(actor=actor, name="X", vetting_method="other")
        with pytest.raises(PermissionDenied):
            services.suspend(actor=actor, issuer=issuer)
    assert TrustedIssuer.objects.get().state == "active"
