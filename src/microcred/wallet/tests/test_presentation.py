"""The holder identity: a did:key made on first need, its secret sealed at rest, and a signed
presentation of chosen credentials that the core verifier accepts (presentation and each
credential) with the challenge and domain the learner typed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from tests.verify.fixtures import fragment_keys, offline_fetcher

from microcred.core.verify.entry import verify_any
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions
from microcred.delivery.services import claim_all_for_user
from microcred.providers.keystore import KeyStoreError
from microcred.wallet import holder, services, verifying
from microcred.wallet.models import HolderKey
from microcred.wallet.tests.conftest import OB3, WORK, make_learner

pytestmark = pytest.mark.django_db


def _options(**expected: Any) -> VerifyOptions:
    fetcher = verifying.PlatformFirstFetcher(StaticFetcher(), offline_fetcher())
    return VerifyOptions(fetcher=fetcher, local_keys=fragment_keys(), **expected)


@pytest.fixture
def keys(learner: Any, issue: Any, offline: Any) -> list[str]:
    """Ana's wallet: a baked VC-JWT badge from 1EdTech and a claimed platform credential."""
    offline()
    [result] = services.import_bytes(
        learner, (OB3 / "simple-jwt.png").read_bytes(), source="upload", name="b.png"
    )
    assert result.item is not None and result.item.verdict == "valid"
    claimed = issue(WORK)
    claim_all_for_user(learner)
    return [f"w{result.item.pk}", "c" + claimed.credential_id.removeprefix("urn:uuid:")]


def test_the_downloaded_presentation_verifies_with_its_challenge(
    ana: Client, learner: Any, keys: list[str]
) -> None:
    did = holder.holder_key(learner).did_key
    assert did in ana.get("/wallet").content.decode()
    response = ana.post(
        "/wallet/presentation",
        {"credential": keys, "challenge": "nonce-4711", "domain": "jobs.example.com"},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="presentation.json"'
    document = json.loads(response.content)
    assert document["holder"] == did and len(document["verifiableCredential"]) == 2
    assert document["verifiableCredential"][0]["type"] == "EnvelopedVerifiableCredential"
    reports = verify_any(
        response.content,
        name="presentation.json",
        options=_options(challenge="nonce-4711", domain="jobs.example.com"),
    )
    assert [r.kind for r in reports] == ["presentation", "credential", "credential"]
    assert all(r.verified for r in reports), [r.failed() for r in reports]
    wrong = verify_any(response.content, name="p", options=_options(challenge="other"))
    assert not wrong[0].verified
    assert any(c.check == "challenge" for c in wrong[0].failed())


def test_without_a_challenge_a_random_one_is_signed(ana: Client, keys: list[str]) -> None:
    first = json.loads(ana.post("/wallet/presentation", {"credential": keys[1:]}).content)
    second = json.loads(ana.post("/wallet/presentation", {"credential": keys[1:]}).content)
    assert (
        first["proof"]["challenge"] and first["proof"]["challenge"] != second["proof"]["challenge"]
    )
    assert "domain" not in first["proof"]


def test_choosing_nothing_or_a_credential_without_proof_makes_no_presentation(
    ana: Client, learner: Any, keys: list[str]
) -> None:
    response = ana.post("/wallet/presentation", {"credential": []}, follow=True)
    assert "Choose at least one credential" in response.content.decode()
    unsigned = (OB3 / "simple-noproof.json").read_bytes()
    [kept] = services.import_bytes(learner, unsigned, source="upload", name="n", keep_failing=True)
    assert kept.item is not None
    response = ana.post("/wallet/presentation", {"credential": [f"w{kept.item.pk}"]}, follow=True)
    assert "No presentation was made" in response.content.decode()
    assert "has no proof" in response.content.decode()


def test_the_holder_key_is_made_once_and_sealed(learner: Any) -> None:
    first = holder.holder_key(learner)
    again = holder.holder_key(learner)
    assert first.did_key == again.did_key and first.did_key.startswith("did:key:z6Mk")
    row = HolderKey.objects.get(owner=learner)
    assert first.seed is not None and first.seed not in bytes(row.sealed_secret)
    # A sealed secret moved onto another account cannot be opened there.
    other = make_learner("eve", "eve@example.org")
    HolderKey.objects.create(
        owner=other,
        did="did:key:z6MkCopied",
        public_key_multibase=row.public_key_multibase,
        sealed_secret=row.sealed_secret,
    )
    with pytest.raises(KeyStoreError):
        holder.holder_key(other)
