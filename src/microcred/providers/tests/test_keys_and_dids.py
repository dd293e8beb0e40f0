"""Rotation keeps old credentials verifiable through the served DID document."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from microcred.core.crypto.did import did_web_url
from microcred.core.crypto.suites.base import sign_credential
from microcred.core.model import sample_credential
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.providers import selectors, services
from microcred.providers.models import AuditEvent, Membership, Provider, ProviderKey
from microcred.providers.tests.conftest import HTTPS_BASE

pytestmark = [pytest.mark.django_db, pytest.mark.urls("microcred.providers.urls")]


def _owner(provider: Provider) -> Any:
    return Membership.objects.get(provider=provider, role="owner").user


def _signed(provider: Provider) -> dict[str, Any]:
    credential = sample_credential(issuer_id=provider.did)
    return sign_credential(credential, services.signing_key(provider))


def _verified(document: dict[str, Any], did: str, did_json: bytes) -> bool:
    fetcher = StaticFetcher({did_web_url(did): did_json})
    return verify_document(document, name="c", options=VerifyOptions(fetcher=fetcher)).verified


@override_settings(MICROCRED_BASE_URL=HTTPS_BASE)
def test_rotation_keeps_credentials_signed_with_the_old_key_verifiable(
    make_provider: Callable[..., Provider], client: Client
) -> None:
    provider = make_provider("acme")
    old_credential = _signed(provider)
    before = client.get("/providers/acme/did.json").content

    new = services.rotate_key(actor=_owner(provider), provider=provider)
    new_credential = _signed(provider)
    after = client.get("/providers/acme/did.json").content

    assert new.key_id == "key-2"
    assert new_credential["proof"]["verificationMethod"] == f"{provider.did}#key-2"
    assert old_credential["proof"]["verificationMethod"] == f"{provider.did}#key-1"
    assert _verified(old_credential, provider.did, after)
    assert _verified(new_credential, provider.did, after)
    # The check has teeth: the document from before the rotation does not know key-2.
    assert not _verified(new_credential, provider.did, before)


@override_settings(MICROCRED_BASE_URL=HTTPS_BASE)
def test_the_did_document_lists_every_key_oldest_first(
    make_provider: Callable[..., Provider], client: Client
) -> None:
    provider = make_provider("acme")
    owner = _owner(provider)
    services.rotate_key(actor=owner, provider=provider)
    services.rotate_key(actor=owner, provider=provider)
    response = client.get("/providers/acme/did.json")
    assert response.status_code == 200
    assert response["Content-Type"] in ("application/did+json", "application/json")
    assert response["Access-Control-Allow-Origin"] == "*"
    document = response.json()
    ids = [f"{provider.did}#key-{n}" for n in (1, 2, 3)]
    assert document["id"] == provider.did == "did:web:issuers.example.edu:providers:acme"
    assert [vm["id"] for vm in document["verificationMethod"]] == ids
    assert document["assertionMethod"] == ids
    assert document["authentication"] == [ids[-1]]
    keys = ProviderKey.objects.filter(provider=provider).order_by("id")
    assert [k.retired_at is None for k in keys] == [False, False, True]
    assert [vm["publicKeyMultibase"] for vm in document["verificationMethod"]] == [
        k.public_key_multibase for k in keys
    ]
    assert document == selectors.did_document(provider)
    assert AuditEvent.objects.filter(provider=provider, action="key.rotated").count() == 2


def test_unknown_and_did_key_providers_have_no_did_json(
    make_provider: Callable[..., Provider], client: Client
) -> None:
    make_provider("webby")
    make_provider("keyed", did_method="key")
    assert client.get("/providers/webby/did.json").status_code == 200
    assert client.get("/providers/keyed/did.json").status_code == 404
    assert client.get("/providers/nobody/did.json").status_code == 404
    assert client.post("/providers/webby/did.json").status_code == 405


def test_a_did_key_provider_cannot_rotate(make_provider: Callable[..., Provider]) -> None:
    provider = make_provider("keyed", did_method="key")
    with pytest.raises(ValidationError) as caught:
        services.rotate_key(actor=_owner(provider), provider=provider)
    assert "cannot rotate" in caught.value.message_dict["did_method"][0]
    assert ProviderKey.objects.filter(provider=provider).count() == 1


def test_a_did_key_provider_signs_credentials_that_verify_offline(
    make_provider: Callable[..., Provider],
) -> None:
    provider = make_provider("keyed", did_method="key")
    signed = _signed(provider)
    report = verify_document(signed, name="c", options=VerifyOptions(fetcher=StaticFetcher()))
    assert report.verified, report.failed()
