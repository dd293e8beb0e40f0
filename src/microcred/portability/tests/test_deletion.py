"""Account deletion: the learner's personal data goes (rows, sessions, tokens, sign-in),
while what verifiers rely on stays: an issued and revoked credential still verifies as
revoked through its status list, and the audit trail names nobody."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application

from microcred.credentials import services as credential_services
from microcred.delivery.models import ClaimInvitation
from microcred.delivery.services import claim_all_for_user
from microcred.providers.models import AuditEvent, Membership
from microcred.sharing import services as sharing_services
from microcred.sharing.models import Profile, ShareLink
from microcred.wallet import holder
from microcred.wallet import services as wallet_services
from microcred.wallet.models import HolderKey, WalletCredential
from microcred.wallet.tests.conftest import HOME, OB3, WORK

pytestmark = pytest.mark.django_db
PASSWORD = "a long pass phrase 42"


@pytest.fixture
def ana_everywhere(learner: Any, issue: Any, staff: Any, offline: Any) -> dict[str, Any]:
    offline()
    issued = issue(WORK)
    claim_all_for_user(learner)
    credential_services.revoke(actor=staff["owner"], credential=issued, reason="cheated")
    wallet_services.import_bytes(
        learner, (OB3 / "simple.json").read_bytes(), source="upload", name="simple.json"
    )
    holder.holder_key(learner)
    sharing_services.save_profile(
        learner, is_public=True, handle="ana-x", display_name="Ana", bio=""
    )
    sharing_services.create_link(learner, [f"c{issued.credential_id.removeprefix('urn:uuid:')}"])
    app = Application.objects.create(
        name="wallet app",
        client_type="public",
        authorization_grant_type="authorization-code",
        redirect_uris="http://127.0.0.1:8765/callback",
    )
    AccessToken.objects.create(
        user=learner, application=app, token="t" * 30, expires=timezone.now() + timedelta(hours=1)
    )
    elsewhere = Client()
    elsewhere.force_login(learner)
    return {"issued": issued, "elsewhere": elsewhere, "user_id": learner.pk}


def test_deletion_removes_the_learner_and_keeps_revocation_verifiable(
    ana: Client,
    ana_everywhere: dict[str, Any],
    verify: Any,
) -> None:
    user_id = ana_everywhere["user_id"]
    issued = ana_everywhere["issued"]
    assert verify(issued.document).to_json()["verified"] is False  # revoked before, too
    response = ana.post("/account/delete", {"password": PASSWORD})
    assert response.status_code == 200 and "Your account is deleted" in response.content.decode()

    assert not get_user_model().objects.filter(pk=user_id).exists()
    for model, field in (
        (EmailAddress, "user_id"),
        (WalletCredential, "owner_id"),
        (HolderKey, "owner_id"),
        (Profile, "owner_id"),
        (ShareLink, "owner_id"),
        (AccessToken, "user_id"),
    ):
        assert not model.objects.filter(**{field: user_id}).exists(), model
    assert not EmailAddress.objects.filter(email__in=[WORK, HOME]).exists()
    assert ClaimInvitation.objects.get(credential=issued).claimed_by is None
    # Signed out here and on every other device; signing in fails.
    assert ana.get("/wallet").status_code == 302
    assert ana_everywhere["elsewhere"].get("/wallet").status_code == 302
    assert not [s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id")]
    visitor = Client()
    login = visitor.post("/accounts/login/", {"login": WORK, "password": PASSWORD})
    assert login.status_code == 200 and "_auth_user_id" not in visitor.session
    # The provider's record stays, and verifiers still see the revocation.
    issued.refresh_from_db()
    report = verify(issued.document)
    assert not report.verified
    assert any(c.check == "status" and "revoked" in c.message.lower() for c in report.checks)
    # The audit trail keeps the facts, not the person.
    claims = AuditEvent.objects.filter(action="credential.claimed", subject=issued.credential_id)
    assert claims.exists() and not claims.filter(actor__isnull=False).exists()


def test_a_wrong_password_deletes_nothing(ana: Client, learner: Any) -> None:
    response = ana.post("/account/delete", {"password": "not my password"})
    assert response.status_code == 400
    assert "The password is not correct" in response.content.decode()
    assert get_user_model().objects.filter(pk=learner.pk).exists()
    assert ana.get("/wallet").status_code == 200


def test_provider_staff_are_refused(staff: Any, provider: Any) -> None:
    owner = staff["owner"]
    owner.set_password(PASSWORD)
    owner.save()
    client = Client()
    client.force_login(owner)
    response = client.post("/account/delete", {"password": PASSWORD})
    assert response.status_code == 400 and "staff of a provider" in response.content.decode()
    assert get_user_model().objects.filter(pk=owner.pk).exists()


def test_a_former_members_name_leaves_the_audit_trail(staff: Any, provider: Any) -> None:
    viewer = staff["viewer"]
    Membership.objects.filter(user=viewer).delete()  # removed by an operator (admin)
    from microcred.portability import deletion

    viewer.set_password(PASSWORD)
    viewer.save()
    deletion.delete_account(viewer, PASSWORD)
    added = AuditEvent.objects.filter(action="member.added", provider=provider)
    assert "viewer" not in [e.subject for e in added]
    assert all("user_id" not in e.details or e.details["user_id"] != viewer.pk for e in added)
