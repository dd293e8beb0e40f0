"""Issue 3's "done when", end to end: a provider issues and revokes through the platform, and an
employer's `microcred verify URL` (a separate process, over HTTP) reports the credential revoked."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from microcred.credentials import services as credentials
from microcred.providers import services as providers
from tests.e2e.employer import verify_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_employer_verifies_a_credential_url_then_sees_it_revoked(
    live_server: Any, settings: Any
) -> None:
    settings.MICROCRED_BASE_URL = live_server.url  # ids and status lists point at this server
    owner = get_user_model().objects.create_user(
        "owner@uni.example", "owner@uni.example", "pw-123456789"
    )
    provider = providers.create_provider(
        actor=owner, slug="uni", name="Uni", legal_name="Uni B.V.", country="NL", did_method="key"
    )
    definition = credentials.create_definition(
        actor=owner, provider=provider, slug="sql", name="SQL Basics",
        description="Queries relational data.", criteria_narrative="Passed the exam.",
    )  # fmt: skip
    definition = credentials.publish(actor=owner, definition=definition)
    issued = credentials.issue_credential(
        actor=owner, definition=definition, recipient_email="ana@example.com"
    )
    url = f"{live_server.url}/credentials/{issued.credential_id.removeprefix('urn:uuid:')}"

    code, report = verify_url(url)
    assert code == 0 and report["verified"], report
    assert {c["check"] for c in report["checks"]} >= {
        "structure",
        "proof",
        "issuer",
        "validity",
        "status",
    }

    credentials.revoke(actor=owner, credential=issued, reason="issued in error")
    code, report = verify_url(url)
    failing = [c for c in report["checks"] if not c["ok"]]
    assert code == 1 and [c["check"] for c in failing] == ["status"]
    assert "revoked" in failing[0]["message"].lower()
