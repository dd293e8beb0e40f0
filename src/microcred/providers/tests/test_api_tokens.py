"""API tokens: shown once, stored only as a hash, refused once revoked, capped at their role."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from microcred.providers import services
from microcred.providers.models import ApiToken, AuditEvent, Provider

pytestmark = pytest.mark.django_db
WHOAMI = "/api/v1/provider"


def _bearer(secret: str) -> dict[str, Any]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def academy(make_provider: Callable[..., Provider], make_user: Callable[[str], Any]) -> Provider:
    return make_provider("academy", owner=make_user("boss"))


def _token(provider: Provider, role: str = "issuer") -> tuple[ApiToken, str]:
    owner = provider.memberships.get(role="owner").user
    return services.create_api_token(actor=owner, provider=provider, name="LMS sync", role=role)


def test_secret_is_shown_once_and_only_its_hash_is_stored(academy: Provider) -> None:
    token, secret = _token(academy)
    assert secret.startswith(f"mc_{token.prefix}_") and len(token.prefix) == 8
    assert len(secret) > 40
    stored = ApiToken.objects.filter(pk=token.pk).values().get()
    assert secret not in json.dumps(stored, default=str)
    assert stored["secret_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    event = AuditEvent.objects.get(action="api_token.created")
    assert secret not in json.dumps(event.details) and event.details["prefix"] == token.prefix


def test_the_secret_authenticates_by_hash_and_records_its_use(academy: Provider) -> None:
    token, secret = _token(academy, role="viewer")
    found = services.authenticate_api_token(secret)
    assert found is not None and found.pk == token.pk and found.provider == academy
    assert found.last_used_at is not None
    tampered = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert services.authenticate_api_token(tampered) is None
    response = Client().get(WHOAMI, **_bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["slug"] == "academy" and body["role"] == "viewer"
    assert body["token"] == f"mc_{token.prefix}"


def test_revoked_and_unknown_tokens_get_401_problem(academy: Provider) -> None:
    token, secret = _token(academy)
    owner = academy.memberships.get(role="owner").user
    services.revoke_api_token(actor=owner, token=token)
    assert services.authenticate_api_token(secret) is None
    for headers in (_bearer(secret), _bearer("mc_00000000_nope"), {}):
        response = Client().post("/api/v1/definitions", {}, "application/json", **headers)
        assert response.status_code == 401
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert response.json()["status"] == 401


def test_viewer_token_cannot_write(academy: Provider) -> None:
    _, secret = _token(academy, role="viewer")
    client = Client()
    assert client.get("/api/v1/definitions", **_bearer(secret)).status_code == 200
    body = {"slug": "x-1", "name": "X", "description": "An X."}
    response = client.post("/api/v1/definitions", body, "application/json", **_bearer(secret))
    assert response.status_code == 403
    assert response.json()["title"] == "Forbidden"
    assert not academy.definitions.exists()


def test_only_owners_create_or_revoke_tokens(
    academy: Provider, make_user: Callable[[str], Any]
) -> None:
    issuer = make_user("clerk")
    owner = academy.memberships.get(role="owner").user
    services.add_member(actor=owner, provider=academy, user=issuer, role="issuer")
    with pytest.raises(PermissionDenied):
        services.create_api_token(actor=issuer, provider=academy, name="mine", role="issuer")
    token, _ = _token(academy)
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(actor=issuer, token=token)
    with pytest.raises(ValidationError) as caught:
        services.create_api_token(actor=owner, provider=academy, name=" ", role="owner")
    assert set(caught.value.message_dict) == {"name", "role"}


def test_token_loses_rights_with_its_creator(
    academy: Provider, make_user: Callable[[str], Any]
) -> None:
    """The token acts as its creator: a deactivated creator means a dead token."""
    owner = academy.memberships.get(role="owner").user
    _, secret = _token(academy)
    owner.is_active = False
    owner.save()
    assert Client().get(WHOAMI, **_bearer(secret)).status_code == 401


def test_signed_in_staff_use_the_session_with_csrf(academy: Provider) -> None:
    owner = academy.memberships.get(role="owner").user
    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    response = client.get(WHOAMI)
    assert response.status_code == 200 and response.json()["role"] == "owner"
    body = {"slug": "csrf-1", "name": "C", "description": "A C."}
    refused = client.post("/api/v1/definitions", body, "application/json")
    assert refused.status_code == 403
    assert refused["Content-Type"] == "application/problem+json"
    csrf = "k" * 32  # what a page's CSRF cookie holds; the header must repeat it
    client.cookies["csrftoken"] = csrf
    accepted = client.post("/api/v1/definitions", body, "application/json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201, accepted.content


def test_session_user_of_several_providers_names_one(
    academy: Provider, make_provider: Callable[..., Provider]
) -> None:
    owner = academy.memberships.get(role="owner").user
    make_provider("second", owner=owner)
    client = Client()
    client.force_login(owner)
    unnamed = client.get(WHOAMI)
    assert unnamed.status_code == 400 and "X-Provider" in unnamed.json()["errors"]
    named = client.get(WHOAMI, HTTP_X_PROVIDER="second")
    assert named.json()["slug"] == "second"


def test_owners_manage_tokens_over_the_session_but_tokens_cannot(
    academy: Provider, make_user: Callable[[str], Any]
) -> None:
    owner = academy.memberships.get(role="owner").user
    client = Client()
    client.force_login(owner)
    body = {"name": "CI", "role": "viewer"}
    created = client.post("/api/v1/tokens", body, "application/json")
    assert created.status_code == 201, created.content
    secret, prefix = created.json()["secret"], created.json()["prefix"]
    assert secret.startswith(f"mc_{prefix}_")
    listed = client.get("/api/v1/tokens").json()
    assert [(t["prefix"], t["role"]) for t in listed] == [(prefix, "viewer")]
    assert all("secret" not in t for t in listed)
    as_token = Client(headers={"Authorization": f"Bearer {secret}"})
    minted = as_token.post("/api/v1/tokens", body, "application/json")
    assert minted.status_code == 403
    assert as_token.post(f"/api/v1/tokens/{prefix}/revoke").status_code == 403
    revoked = client.post(f"/api/v1/tokens/{prefix}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert as_token.get(WHOAMI).status_code == 401
    clerk = make_user("clerk2")
    services.add_member(actor=owner, provider=academy, user=clerk, role="issuer")
    client.force_login(clerk)
    assert client.post("/api/v1/tokens", body, "application/json").status_code == 403


def test_token_is_capped_by_its_creators_current_role(
    academy: Provider, make_user: Callable[[str], Any]
) -> None:
    owner = academy.memberships.get(role="owner").user
    _, secret = _token(academy)
    membership = academy.memberships.get(user=owner)
    membership.role = "viewer"
    membership.save()
    assert Client().get(WHOAMI, **_bearer(secret)).json()["role"] == "viewer"
    body = {"slug": "x-2", "name": "X", "description": "An X."}
    write = Client().post("/api/v1/definitions", body, "application/json", **_bearer(secret))
    assert write.status_code == 403
    membership.delete()
    assert Client().get("/api/v1/definitions", **_bearer(secret)).status_code == 403
