"""Staff of two providers, a published definition, and CSV files to issue."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from microcred.credentials import services as credential_services
from microcred.credentials.models import MicroCredentialDefinition
from microcred.providers import services as provider_services
from microcred.providers.models import Provider


def make_user(name: str) -> Any:
    return get_user_model().objects.create_user(
        username=name, email=f"{name}@example.org", password="x-unused-x"
    )


def make_provider(slug: str, owner: Any) -> Provider:
    # did:key: a verifier resolves the key from the DID itself (no DID document to fetch).
    return provider_services.create_provider(
        actor=owner,
        slug=slug,
        name=f"{slug.title()} University",
        legal_name=f"{slug.title()} University B.V.",
        country="NL",
        did_method="key",
    )


def make_definition(
    provider: Provider, owner: Any, slug: str = "data-101"
) -> MicroCredentialDefinition:
    definition = credential_services.create_definition(
        actor=owner,
        provider=provider,
        slug=slug,
        name="Data Analysis Fundamentals",
        description="Cleans, explores and visualises tabular data.",
        criteria_narrative="Passed the final project and the written exam.",
        learning_outcomes=["Clean a messy data set"],
    )
    return credential_services.publish(actor=owner, definition=definition)


@pytest.fixture
def staff(db: None) -> dict[str, Any]:
    """owner, issuer and viewer of provider "uni"; "outsider" owns provider "acme"."""
    return {name: make_user(name) for name in ("owner", "issuer", "viewer", "outsider")}


@pytest.fixture
def provider(staff: dict[str, Any]) -> Provider:
    uni = make_provider("uni", staff["owner"])
    for role in ("issuer", "viewer"):
        provider_services.add_member(
            actor=staff["owner"], provider=uni, user=staff[role], role=role
        )
    return uni


@pytest.fixture
def other_provider(staff: dict[str, Any]) -> Provider:
    return make_provider("acme", staff["outsider"])


@pytest.fixture
def definition(provider: Provider, staff: dict[str, Any]) -> MicroCredentialDefinition:
    return make_definition(provider, staff["owner"])


def learners_csv(count: int, *, start: int = 0, header: str = "email,narrative,result") -> bytes:
    lines = [header] + [
        f"learner{n}@example.com,Project {n},{'A' if n % 2 else 'B'}"
        for n in range(start, start + count)
    ]
    return ("\n".join(lines) + "\n").encode()
