"""CLR 2.0 export: signed by the platform, verifies with the core verifier, passes the 1EdTech
CLR schema (read in place from ../shared/standards), links stacked credentials, and the page
exports all or the ticked ones."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from django.test import Client, override_settings
from jsonschema import Draft201909Validator  # type: ignore[import-untyped]
from tests.conftest import STANDARDS, read_json

from microcred.core.model.identity import IdentityObject
from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.credentials import services as credential_services
from microcred.credentials.achievements import achievement_id
from microcred.delivery.services import claim_all_for_user
from microcred.portability import identity, services
from microcred.wallet import services as wallet_services
from microcred.wallet import verifying
from microcred.wallet.tests.conftest import HOME, OB3, WORK

pytestmark = pytest.mark.django_db


@cache
def _schema() -> Draft201909Validator:
    schema = read_json(STANDARDS / "schemas" / "clr_v2p0" / "clr_v2p0_clrcredential_schema.json")
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema)


def schema_errors(document: dict[str, Any]) -> list[str]:
    return [f"{list(e.absolute_path)}: {e.message}" for e in _schema().iter_errors(document)]


def _import(owner: Any, name: str) -> str:
    [result] = wallet_services.import_bytes(
        owner, (OB3 / name).read_bytes(), source="upload", name=name, keep_failing=True
    )
    assert result.item is not None, result.message
    return f"w{result.item.pk}"


@pytest.fixture
def wallet(learner: Any, staff: Any, make_definition: Any, offline: Any) -> dict[str, str]:
    """Ana: a module that stacks into a certificate (both claimed), a 1EdTech credential
    and a VC 1.1 credential (cannot go into a CLR 2.0)."""
    offline()
    certificate = make_definition("cert", name="Data Certificate")
    module = make_definition(
        "module",
        name="Data Module",
        eu_elements={
            "integration_option": "IntegratedStackable",
            "stackable_towards": [achievement_id(certificate)],
        },
    )
    keys = {}
    for name, definition in (("cert", certificate), ("module", module)):
        row = credential_services.issue_credential(
            actor=staff["owner"], definition=definition, recipient_email=WORK
        )
        keys[name] = "c" + row.credential_id.removeprefix("urn:uuid:")
    claim_all_for_user(learner)
    keys["simple"] = _import(learner, "simple.json")
    keys["v1"] = _import(learner, "complete_v1.json")
    keys["cert_id"], keys["module_id"] = achievement_id(certificate), achievement_id(module)
    return keys


def _verify(document: dict[str, Any], fetcher: StaticFetcher | None = None) -> Any:
    options = VerifyOptions(fetcher=fetcher or StaticFetcher())
    return verify_document(document, name="clr.json", options=options)


def test_the_exported_record_verifies_and_passes_the_clr_schema(
    learner: Any, wallet: dict[str, str]
) -> None:
    made = services.export_clr(learner)
    clr = made.document
    assert clr["type"] == ["VerifiableCredential", "ClrCredential"]
    assert schema_errors(clr) == []
    report = _verify(clr)
    assert report.verified, report.to_json()
    assert clr["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert clr["issuer"]["id"] == identity.signing_key().controller
    # Three embedded (each with its own proof, verifying on its own); the VC 1.1 one is left out.
    embedded = clr["credentialSubject"]["verifiableCredential"]
    assert made.included == 3 and clr["partial"] is True
    assert [reason for reason in made.left_out if "VC 1.1" in reason]
    for document in embedded:
        [own] = verifying.verify(json.dumps(document).encode(), name="in", document=document)
        assert own.verified, own.to_json()
    identifiers = [IdentityObject.model_validate(i) for i in clr["credentialSubject"]["identifier"]]
    assert any(i.matches(WORK) for i in identifiers) and any(i.matches(HOME) for i in identifiers)
    assert WORK not in json.dumps(clr["credentialSubject"]["identifier"])


def test_stacked_credentials_are_associated(learner: Any, wallet: dict[str, str]) -> None:
    clr = services.export_clr(learner).document
    subject = clr["credentialSubject"]
    assert subject["association"] == [
        {
            "type": "Association",
            "associationType": "isPartOf",
            "sourceId": wallet["module_id"],
            "targetId": wallet["cert_id"],
        }
    ]
    names = {a["id"]: a["name"] for a in subject["achievement"]}
    assert names == {wallet["module_id"]: "Data Module", wallet["cert_id"]: "Data Certificate"}


def test_a_changed_record_no_longer_verifies(learner: Any, wallet: dict[str, str]) -> None:
    clr = services.export_clr(learner).document
    clr["credentialSubject"]["verifiableCredential"].pop()
    assert not _verify(clr).verified


def test_the_page_exports_only_the_ticked_credentials(ana: Client, wallet: dict[str, str]) -> None:
    page = ana.get("/wallet/export").content.decode()
    assert "Data Module" in page and "No: it is a VC 1.1 credential" in page
    response = ana.post(
        "/wallet/export", {"scope": "selected", "credential": [wallet["module"], wallet["cert"]]}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="learner-record-')
    clr = json.loads(response.content)
    names = [
        c["credentialSubject"]["achievement"]["name"]
        for c in clr["credentialSubject"]["verifiableCredential"]
    ]
    assert names == ["Data Module", "Data Certificate"]
    assert clr["partial"] is True and _verify(clr).verified and schema_errors(clr) == []


def test_the_page_explains_an_empty_or_unusable_choice(ana: Client, wallet: dict[str, str]) -> None:
    nothing = ana.post("/wallet/export", {"scope": "selected"})
    assert nothing.status_code == 400
    assert "Tick at least one credential" in nothing.content.decode()
    v1_only = ana.post("/wallet/export", {"scope": "selected", "credential": [wallet["v1"]]})
    assert v1_only.status_code == 400
    assert "None of the chosen credentials can go into a CLR" in v1_only.content.decode()


@override_settings(MICROCRED_BASE_URL="https://wallet.example")
def test_over_https_the_platform_is_a_did_web_and_rotation_keeps_old_records_valid(
    learner: Any, wallet: dict[str, str], client: Client
) -> None:
    before = services.export_clr(learner).document
    assert before["issuer"]["id"] == "did:web:wallet.example"
    assert before["proof"]["verificationMethod"] == "did:web:wallet.example#key-1"

    def published() -> StaticFetcher:
        response = client.get("/.well-known/did.json")
        assert response.status_code == 200
        return StaticFetcher({"https://wallet.example/.well-known/did.json": response.content})

    assert _verify(before, published()).verified
    assert not _verify(before).verified  # nothing to resolve the did:web with: not valid
    identity.rotate()
    after = services.export_clr(learner).document
    assert after["proof"]["verificationMethod"] == "did:web:wallet.example#key-2"
    assert _verify(before, published()).verified and _verify(after, published()).verified


def test_over_http_there_is_no_did_web_document(client: Client, db: None) -> None:
    assert identity.platform_did() is None
    assert client.get("/.well-known/did.json").status_code == 404
