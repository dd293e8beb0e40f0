"""Issue 4's "done when" in one browser journey: a new learner signs up and finds the credential
a provider issued to her address; she imports a 1EdTech example and a credential signed by the
independent Node stack (../shared/interop), shares a chosen three with a link that expires, and
an employer (no account) verifies that link and a zip of ten files in the portal and gets the
right verdict for each."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from microcred.credentials import services as credentials
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.providers import services as providers
from microcred.verification.tests.conftest import signed_elsewhere
from tests.conftest import EXAMPLES
from tests.interop.conftest import NodeInterop, node_interop  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
ANA = "ana.lima@example.org"
PASSWORD = "a long pass phrase 42"
ONEEDTECH = EXAMPLES / "ob_v3p0" / "validator" / "simple-jwt.svg"  # "Teamwork", a baked VC-JWT


def _provider_issues() -> dict[str, Any]:
    owner = get_user_model().objects.create_user("owner@uni.example", "owner@uni.example", "pw")
    provider = providers.create_provider(
        actor=owner, slug="uni", name="Uni", legal_name="Uni B.V.", country="NL", did_method="key"
    )
    made = {}
    for slug, name in (("sql", "SQL Basics"), ("viz", "Data Visualisation")):
        draft = credentials.create_definition(
            actor=owner, provider=provider, slug=slug, name=name,
            description=f"{name}, assessed.", criteria_narrative="Passed the exam.",
        )  # fmt: skip
        made[slug] = credentials.publish(actor=owner, definition=draft)
    issued = {
        key: credentials.issue_credential(actor=owner, definition=made[key], recipient_email=email)
        for key, email in (("sql", ANA), ("viz", "bo@example.org"))
    }
    credentials.revoke(actor=owner, credential=issued["viz"], reason="issued in error")
    return issued


def _sign_up(learner: Any, base: str) -> None:
    learner.goto(base + "/accounts/signup/")
    learner.get_by_label("Email:").fill(ANA)
    learner.get_by_label("Password:", exact=True).fill(PASSWORD)
    learner.get_by_label("Password (again):").fill(PASSWORD)
    learner.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    learner.wait_for_load_state()
    body = str(mail.outbox[-1].body)
    found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body)
    assert found is not None, body
    learner.goto(re.sub(r"^https?://[^/]+", base, found.group(0)))
    learner.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    learner.wait_for_load_state()


def _import(learner: Any, base: str, *, file: Path | None = None, text: str = "") -> str:
    learner.goto(base + "/wallet/import")
    if file is not None:
        learner.get_by_label("Credential file").set_input_files(str(file))
        learner.get_by_role("button", name="Upload and verify").click()
    else:
        learner.get_by_label("Credential JSON or JWT").fill(text)
        learner.get_by_role("button", name="Verify and add").click()
    learner.wait_for_load_state()
    return str(learner.get_by_role("status").inner_text())


def _share_three(learner: Any, base: str, names: list[str]) -> str:
    learner.goto(base + "/wallet")
    learner.get_by_role("link", name="Share…").click()
    learner.get_by_role("link", name="Share credentials by link").click()
    for name in names:
        learner.get_by_role("checkbox", name=name).check()
    learner.get_by_label("Expires after (days)").fill("7")
    learner.get_by_role("button", name="Make the link").click()
    learner.wait_for_load_state()
    return str(learner.get_by_label("Share link").input_value())


def _portal(
    employer: Any, base: str, *, urls: str = "", files: list[str] | None = None
) -> list[str]:
    employer.goto(base + "/verify")
    if urls:
        employer.get_by_label("Credential URLs").fill(urls)
    if files:
        employer.get_by_label("Credential files").set_input_files(files)
    employer.get_by_role("button", name="Verify").click()
    employer.get_by_role("heading", name="Verification results").wait_for()
    rows = employer.locator("table.verify-summary tbody tr")
    return [str(rows.nth(i).inner_text()) for i in range(rows.count())]


def _ten_files(issued: dict[str, Any], interop: list[Path]) -> tuple[bytes, list[str]]:
    """A zip of ten files and the verdict the portal must give each, in order."""
    files = [
        ("01-sql.json", json.dumps(issued["sql"].document).encode(), "Valid"),
        ("02-viz-revoked.json", json.dumps(issued["viz"].document).encode(), "Revoked"),
        ("03-teamwork.svg", ONEEDTECH.read_bytes(), "Valid"),
        ("04-node-rdfc.json", interop[0].read_bytes(), "Valid"),
        ("05-node-jcs.json", interop[1].read_bytes(), "Valid"),
        ("06-elsewhere.json", signed_elsewhere(), "Valid"),
        ("07-elsewhere.jwt", signed_elsewhere(suite="vc-jwt"), "Valid"),
        ("08-expired.json", signed_elsewhere(expired=True), "Expired"),
        ("09-tampered.json", signed_elsewhere(tampered=True), "Signature does not hold"),
        ("10-notes.json", b'{"note": "not a credential"}', "Unusable input"),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data, _ in files:
            archive.writestr(name, data)
    return buffer.getvalue(), [verdict for _, _, verdict in files]


def test_a_learner_collects_shares_three_and_an_employer_verifies_the_link_and_a_zip(
    page: Any,  # noqa: F811
    live_server: Any,
    settings: Any,
    node_interop: NodeInterop,  # noqa: F811
    tmp_path: Path,
) -> None:
    settings.MICROCRED_BASE_URL = live_server.url
    settings.MICROCRED_VERIFY_ALLOW_PRIVATE_NETWORK = True  # the portal fetches the loopback link
    base = live_server.url
    issued = _provider_issues()
    interop = [
        *node_interop.sign(tmp_path / "rdfc", suite="eddsa-rdfc-2022"),
        *node_interop.sign(tmp_path / "jcs", suite="eddsa-jcs-2022"),
    ]

    _sign_up(page, base)
    page.goto(base + "/wallet")
    assert "SQL Basics" in page.locator("main").inner_text()  # claimed by her verified address
    assert "Added" in _import(page, base, file=ONEEDTECH)
    node_name = json.loads(interop[0].read_text())["credentialSubject"]["achievement"]["name"]
    assert "Added" in _import(page, base, text=interop[0].read_text())
    screenshot(page, "journey-wallet-import")
    link = _share_three(page, base, ["SQL Basics", "Teamwork", node_name])
    assert link.startswith(base + "/share/")

    employer = page.context.browser.new_context(viewport={"width": 1200, "height": 900}).new_page()
    rows = _portal(employer, base, urls=link)
    shared = [row for row in rows if "presentation" not in row.lower()]
    assert len(shared) == 3 and all(row.rstrip().endswith("Valid") for row in shared), rows
    assert all(any(name in row for row in shared) for name in ("SQL Basics", "Teamwork"))
    screenshot(employer, "journey-employer-link")

    archive, expected = _ten_files(issued, interop)
    (tmp_path / "ten.zip").write_bytes(archive)
    rows = _portal(employer, base, files=[str(tmp_path / "ten.zip")])
    verdicts = [row.split("\t")[-1].split(" ", 1)[-1].strip() for row in rows]
    assert verdicts == expected, rows
    screenshot(employer, "journey-employer-zip")
