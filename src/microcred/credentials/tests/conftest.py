"""Providers, staff, definitions and a verifier that fetches status lists through Django."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.report import VerificationReport
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.credentials import services
from microcred.credentials.models import MicroCredentialDefinition
from microcred.providers import services as provider_services
from microcred.providers.models import Provider

EU_ELEMENTS = {
    "credit_points": 5,
    "eqf_level": 6,
    "assessment_type": "Written exam, supervised",
    "participation_form": "Online",
    "quality_assurance": "Internal QA, NVAO accredited",
}


def make_user(name: str) -> Any:
    return get_user_model().objects.create_user(
        username=name, email=f"{name}@example.org", password="x-unused-x"
    )


@pytest.fixture
def staff(db: None) -> dict[str, Any]:
    """owner, issuer and viewer of provider "uni"; "outsider" owns provider "acme"."""
    users = {name: make_user(name) for name in ("owner", "issuer", "viewer", "outsider")}
    return users


def make_provider(slug: str, owner: Any, **overrides: Any) -> Provider:
    """A did:key provider: the verifier resolves the key from the DID itself (nothing to
    fetch). Other apps' tests build theirs with it too."""
    values: dict[str, Any] = {
        "name": f"{slug.title()} University",
        "legal_name": f"{slug.title()} University B.V.",
        "country": "NL",
        "region": "Utrecht",
        "website": f"https://{slug}.example.edu",
        "did_method": "key",
    }
    values.update(overrides)
    return provider_services.create_provider(actor=owner, slug=slug, **values)


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
def make_definition(
    provider: Provider, staff: dict[str, Any]
) -> Callable[..., MicroCredentialDefinition]:
    def make(slug: str = "data-101", *, publish: bool = True, **fields: Any) -> Any:
        values: dict[str, Any] = {
            "name": "Data Analysis Fundamentals",
            "description": "Cleans, explores and visualises tabular data.",
            "criteria_narrative": "Passed the final project and the written exam.",
            "learning_outcomes": ["Clean a messy data set", "Choose a fitting chart"],
            "alignments": [
                {
                    "targetName": "data analytics",
                    "targetUrl": "http://data.europa.eu/esco/skill/5a2a6e68-example",
                    "targetFramework": "ESCO",
                }
            ],
        }
        values.update(fields)
        definition = services.create_definition(
            actor=staff["owner"], provider=provider, slug=slug, **values
        )
        if publish:
            definition = services.publish(actor=staff["owner"], definition=definition)
        return definition

    return make


@pytest.fixture
def definition(make_definition: Callable[..., MicroCredentialDefinition]) -> Any:
    return make_definition()


def path_of(url: str) -> str:
    return urlsplit(url).path


def fetch_json(client: Client, url: str) -> Any:
    response = client.get(path_of(url))
    assert response.status_code == 200, response.content[:300]
    return json.loads(response.content)


def status_urls(document: dict[str, Any]) -> list[str]:
    entries = document["credentialStatus"]
    entries = entries if isinstance(entries, list) else [entries]
    return [entry["statusListCredential"] for entry in entries]


@pytest.fixture
def verify(client: Client) -> Callable[[dict[str, Any]], VerificationReport]:
    """Verify as an outside verifier would: the status lists are what our views serve now."""

    def run(document: dict[str, Any]) -> VerificationReport:
        bodies = {url: client.get(path_of(url)).content for url in status_urls(document)}
        options = VerifyOptions(fetcher=StaticFetcher(bodies))
        return verify_document(document, name="issued", options=options)

    return run
