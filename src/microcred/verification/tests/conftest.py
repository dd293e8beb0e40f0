"""Users and registry entries for the verification app's database tests; for the portal,
this platform's issued credentials (the credentials app's fixtures) and others' ones."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from microcred.core.crypto.keys import Ed25519KeyPair
from microcred.core.crypto.suites.base import BatchSigner
from microcred.core.model import sample_credential
from microcred.credentials import services as credential_services
from microcred.credentials.models import IssuedCredential
from microcred.credentials.tests.conftest import (  # noqa: F401 (fixtures)
    definition,
    make_definition,
    provider,
    staff,
)
from microcred.verification import services
from microcred.verification.models import TrustedIssuer


@pytest.fixture
def make_user(db: None) -> Callable[..., Any]:
    def make(name: str, **extra: Any) -> Any:
        return get_user_model().objects.create_user(
            username=name, email=f"{name}@example.org", password="x-unused-x", **extra
        )

    return make


@pytest.fixture
def operator(make_user: Callable[..., Any]) -> Any:
    return make_user("root", is_superuser=True, is_staff=True)


@pytest.fixture
def make_issuer(operator: Any) -> Callable[..., TrustedIssuer]:
    def make(name: str, **fields: Any) -> TrustedIssuer:
        values: dict[str, Any] = {"vetting_method": "accreditation", "vetted_by": "NVAO"}
        values.update(fields)
        return services.create_trusted_issuer(actor=operator, name=name, **values)

    return make


OTHER_KEY = Ed25519KeyPair.from_seed(b"\x07" * 32)  # "Example University of Applied Sciences"


def signed_elsewhere(
    *, suite: str = "eddsa-rdfc-2022", expired: bool = False, tampered: bool = False
) -> bytes:
    """A credential from another issuer (did:key, no status list), as file bytes."""
    document = sample_credential(
        issuer_id=OTHER_KEY.controller or "", salt="s", valid_from="2025-03-03T09:00:00Z"
    )
    if expired:
        document["validUntil"] = "2025-06-30T00:00:00Z"
    credential = BatchSigner(OTHER_KEY, suite=suite).sign(document)
    if isinstance(credential, str):
        return credential.encode()
    if tampered:
        credential["credentialSubject"]["achievement"]["name"] = "Advanced Surgery"
    return json.dumps(credential).encode()


def zipped(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.fixture
def issue(definition: Any, staff: dict[str, Any]) -> Callable[..., IssuedCredential]:  # noqa: F811
    """Issue one of this platform's credentials (provider "uni", did:key); ``state``:
    "revoked" revokes it afterwards."""

    def make(email: str = "ana@example.org", state: str = "active") -> IssuedCredential:
        row = credential_services.issue_credential(
            actor=staff["issuer"], definition=definition, recipient_email=email
        )
        if state == "revoked":
            row = credential_services.revoke(actor=staff["owner"], credential=row, reason="t")
        return row

    return make


def document_bytes(row: IssuedCredential) -> bytes:
    return json.dumps(row.document).encode()
