"""Credentials issued through the platform pass the independent Node verifier (which does not
check status lists offline), and microcred's own verifier fails revoked ones on status."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from microcred.core.verify.fetcher import StaticFetcher
from microcred.core.verify.verifier import VerifyOptions, verify_document
from microcred.credentials import services as credentials
from microcred.providers import services as providers
from tests.interop.conftest import NodeInterop

pytestmark = [pytest.mark.interop, pytest.mark.xdist_group("interop"), pytest.mark.django_db]


def _issue_three() -> tuple[Any, list[Any]]:
    owner = get_user_model().objects.create_user("o@uni.example", "o@uni.example", "pw-123456789")
    provider = providers.create_provider(
        actor=owner, slug="uni", name="Uni", legal_name="Uni B.V.", country="NL", did_method="key"
    )
    definition = credentials.create_definition(
        actor=owner, provider=provider, slug="sql", name="SQL Basics \u00e9\u0001",
        description="Queries \"relational\" data.\n", criteria_narrative="Passed the exam.",
    )  # fmt: skip
    definition = credentials.publish(actor=owner, definition=definition)
    issued = [
        credentials.issue_credential(actor=owner, definition=definition, recipient_email=f"l{n}@example.com")
        for n in range(3)
    ]  # fmt: skip
    return owner, issued


def test_platform_credentials_pass_node_and_revoked_fail_here(
    node_interop: NodeInterop, tmp_path: Path, client: Client
) -> None:
    owner, issued = _issue_three()
    credentials.revoke(actor=owner, credential=issued[0], reason="error")
    for number, row in enumerate(issued):
        (tmp_path / f"c{number}.json").write_text(json.dumps(row.document))
    verdict = node_interop.verify(tmp_path)
    assert (verdict.passed, verdict.failed) == (3, 0), verdict.explain()
    status_url = issued[0].document["credentialStatus"]["statusListCredential"]
    body = client.get("/" + status_url.split("/", 3)[3]).content
    options = VerifyOptions(fetcher=StaticFetcher({status_url: body}))
    reports = [verify_document(row.document, name="c", options=options) for row in issued]
    assert [r.verified for r in reports] == [False, True, True]
    assert [c.check for c in reports[0].failed()] == ["status"]
