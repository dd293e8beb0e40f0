"""A provider with a published definition, a learner with a verified address, an OAuth client."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
from django.contrib.auth import get_user_model
from django.test import Client

from microcred.credentials import services
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.credentials.tests.conftest import make_provider
from microcred.obapi.conf import ALL_SCOPES

API = "/ims/ob/v3p0"
REDIRECT = "http://127.0.0.1:8765/callback"


def make_user(name: str, *, verified: bool = True) -> Any:
    user = get_user_model().objects.create_user(
        username=name, email=f"{name}@example.org", password="x-unused-x"
    )
    EmailAddress.objects.create(
        user=user, email=f"{name}@example.org", verified=verified, primary=True
    )
    return user


@pytest.fixture
def owner(db: None) -> Any:
    return make_user("owner")


@pytest.fixture
def learner(db: None) -> Any:
    return make_user("learner")


@pytest.fixture
def definition(owner: Any) -> MicroCredentialDefinition:
    provider = make_provider("uni", owner)
    draft = services.create_definition(
        actor=owner,
        provider=provider,
        slug="data-101",
        name="Data Analysis Fundamentals",
        description="Cleans, explores and visualises tabular data.",
        criteria_narrative="Passed the final project.",
    )
    return services.publish(actor=owner, definition=draft)


@pytest.fixture
def issue(owner: Any, definition: MicroCredentialDefinition) -> Callable[[str], IssuedCredential]:
    def run(email: str) -> IssuedCredential:
        return services.issue_credential(actor=owner, definition=definition, recipient_email=email)

    return run


def register(client: Client, **overrides: Any) -> Any:
    body = {
        "client_name": "Wallet",
        "client_uri": "https://wallet.example.com",
        "redirect_uris": [REDIRECT],
        "scope": " ".join(ALL_SCOPES),
        "token_endpoint_auth_method": "client_secret_basic",
        "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"],
        **overrides,
    }
    return client.post(f"{API}/register", json.dumps(body), content_type="application/json")


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def authorize_code(client: Client, user: Any, client_id: str, scope: str, challenge: str) -> Any:
    """Signed in, the learner sees the consent page (GET) and allows (POST); the redirect."""
    client.force_login(user)
    params = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": REDIRECT,
        "scope": scope,
        "state": "xyz",
        "code_challenge": challenge,
        "code_challenge_method": "S256",
    }
    page = client.get(f"{API}/oauth/authorize/", params)
    assert page.status_code == 200, page.content[:500]
    assert b"Wallet" in page.content
    return client.post(f"{API}/oauth/authorize/", {**params, "allow": "Authorize"})


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


@pytest.fixture
def token_for(client: Client) -> Callable[..., str]:
    """Register a client, authorize it as ``user`` for ``scope``, exchange the code: the token."""

    def run(user: Any, scope: str) -> str:
        registered = register(client).json()
        verifier, challenge = pkce_pair()
        redirect = authorize_code(client, user, registered["client_id"], scope, challenge)
        code = parse_qs(urlsplit(redirect["Location"]).query)["code"][0]
        response = Client().post(
            f"{API}/oauth/token/",
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": REDIRECT,
                "code_verifier": verifier,
            },
            HTTP_AUTHORIZATION=basic(registered["client_id"], registered["client_secret"]),
        )
        assert response.status_code == 200, response.content
        return str(response.json()["access_token"])

    return run
