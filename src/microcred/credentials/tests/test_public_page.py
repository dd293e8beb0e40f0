"""The public credential page: content negotiation, what it shows, downloads, status."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from microcred.core.crypto.baking import unbake
from microcred.core.verify.report import VerificationReport
from microcred.credentials import documents, services
from microcred.credentials.models import IssuedCredential
from microcred.credentials.tests.conftest import EU_ELEMENTS

pytestmark = pytest.mark.storage
Verify = Callable[[dict[str, Any]], VerificationReport]
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def issued(make_definition: Any, staff: dict[str, Any]) -> IssuedCredential:
    definition = make_definition(
        is_eu=True,
        eu_elements={
            **EU_ELEMENTS,
            "supervision_verification": "SupervisedWithIdentityVerification",
            "integration_option": "IntegratedStackable",
            "prerequisites": "Basic spreadsheet skills",
        },
        expiry_months=24,
    )
    return services.issue_credential(
        actor=staff["issuer"], definition=definition, recipient_email="ana.secret@example.com"
    )


def _path(row: IssuedCredential, suffix: str = "") -> str:
    return f"/credentials/{row.credential_id.removeprefix('urn:uuid:')}{suffix}"


def _page(client: Client, row: IssuedCredential) -> str:
    response = client.get(_path(row), HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html") and "Accept" in response["Vary"]
    return response.content.decode()


@pytest.mark.parametrize(
    "accept", ["application/json", "application/ld+json", "application/vc+ld+json", "*/*", None]
)
def test_json_clients_get_the_signed_credential_as_stored(
    client: Client, issued: IssuedCredential, accept: str | None
) -> None:
    headers = {"Accept": accept} if accept else {}
    response = client.get(_path(issued), headers=headers)
    assert response.status_code == 200 and response["Content-Type"] == "application/vc+ld+json"
    assert json.loads(response.content) == issued.document


def test_format_json_and_the_download_give_the_credential(
    client: Client, issued: IssuedCredential
) -> None:
    inline = client.get(_path(issued) + "?format=json", HTTP_ACCEPT=BROWSER)
    assert json.loads(inline.content) == issued.document
    download = client.get(_path(issued, ".json"))
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert json.loads(download.content) == issued.document


def test_page_shows_issuer_achievement_eu_elements_and_a_passing_report(
    client: Client, issued: IssuedCredential
) -> None:
    html = _page(client, issued)
    for text in (
        "Data Analysis Fundamentals",
        "Uni University B.V.",
        "NL · Utrecht",
        "https://uni.example.edu",
        issued.document["issuer"]["id"],
        "Passed the final project and the written exam.",
        "Clean a messy data set",
        'href="http://data.europa.eu/esco/skill/5a2a6e68-example"',
        "5 ECTS credits",
        "<dt>EQF level</dt><dd>6</dd>",
        "Online",
        "Written exam, supervised",
        "Supervised, with identity verification",
        "Internal QA, NVAO accredited",
        "Can be stacked / integrated",
        "Basic spreadsheet skills",
        "hashed, salted email address",
        "Verified",
    ):
        assert text in html, text
    assert "ana.secret" not in html  # the recipient is never revealed
    checks = re.findall(r'<li class="(ok|bad)">(?:(?!</li>).)*?<strong>(\w+)</strong>', html, re.S)
    assert {name for _, name in checks} >= {"Structure", "Proof", "Issuer", "Validity", "Status"}
    assert {mark for mark, _ in checks} == {"ok"}
    assert "✔ Valid" in html


def test_open_graph_and_linkedin(client: Client, issued: IssuedCredential) -> None:
    html = _page(client, issued)
    page_url = settings.MICROCRED_BASE_URL.rstrip("/") + _path(issued)
    for prop in ("og:title", "og:description", "og:url", "og:type"):
        assert f'property="{prop}"' in html
    assert f'<meta property="og:url" content="{page_url}">' in html
    link = re.search(r'href="(https://www\.linkedin\.com/profile/add\?[^"]+)"', html)
    assert link is not None
    query = parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query)
    assert query["startTask"] == ["CERTIFICATION_NAME"]
    assert query["name"] == ["Data Analysis Fundamentals"]
    assert query["organizationName"] == ["Uni University B.V."]
    assert query["certUrl"] == [page_url]
    assert query["certId"] == [issued.credential_id.removeprefix("urn:uuid:")]
    assert query["issueYear"] == [str(issued.issued_at.year)]


def test_revoked_page_says_so_and_the_report_fails_on_status(
    client: Client, issued: IssuedCredential, staff: dict[str, Any]
) -> None:
    services.revoke(actor=staff["owner"], credential=issued, reason="clerical: wrong cohort 7")
    html = _page(client, issued)
    assert "REVOKED BY THE ISSUER" in html and "This credential was revoked on" in html
    assert "Not verified" in html
    assert re.search(r'<li class="bad">(?:(?!</li>).)*?<strong>Status</strong>', html, re.S)
    assert "wrong cohort" not in html  # the internal reason stays internal
    assert "linkedin.com" not in html  # nothing invites sharing a revoked credential


def test_suspended_page_says_so(
    client: Client, make_definition: Any, staff: dict[str, Any]
) -> None:
    definition = make_definition("susp-1", status_purpose="suspension")
    row = services.issue_credential(
        actor=staff["issuer"], definition=definition, recipient_did="did:example:learner"
    )
    services.suspend(actor=staff["owner"], credential=row, reason="under review")
    html = _page(client, row)
    assert "SUSPENDED BY THE ISSUER" in html and "Not verified" in html
    assert "decentralised identifier" in html


def test_expired_page_says_so(client: Client, definition: Any, staff: dict[str, Any]) -> None:
    # Issuing refuses a past end date: issue one that ends in two seconds, then wait.
    until = (timezone.now() + timedelta(seconds=2)).replace(microsecond=0)
    row = services.issue_credential(
        actor=staff["issuer"],
        definition=definition,
        recipient_email="b@example.org",
        valid_until=until,
    )
    time.sleep(max(0.0, (until - timezone.now()).total_seconds()) + 0.2)
    html = _page(client, row)
    assert "✘ EXPIRED" in html and f"expired on {until:%-d %B %Y}" in html
    assert re.search(r'<li class="bad">(?:(?!</li>).)*?<strong>Validity</strong>', html, re.S)


@pytest.mark.parametrize("suffix", ["/badge.png", "/badge.svg"])
def test_baked_badges_carry_the_signed_credential(
    client: Client, issued: IssuedCredential, verify: Verify, suffix: str
) -> None:
    response = client.get(_path(issued, suffix))
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    baked = unbake(response.content)
    assert baked.kind == "ob3" and baked.encoding == "json"
    document = json.loads(baked.text)
    assert document == issued.document
    assert verify(document).verified


def test_certificate_pdf_links_the_page(client: Client, issued: IssuedCredential) -> None:
    response = client.get(_path(issued, "/certificate.pdf"))
    page_url = settings.MICROCRED_BASE_URL.rstrip("/") + _path(issued)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert f"/URI ({page_url})".encode() in response.content  # the QR's link annotation


def test_certificate_qr_code_encodes_the_page_url(issued: IssuedCredential) -> None:
    page_url = settings.MICROCRED_BASE_URL.rstrip("/") + _path(issued)
    pdf = documents.certificate_pdf(issued.document, page_url, compress=False).decode("latin-1")
    assert "Data Analysis Fundamentals" in pdf and page_url in pdf
    # Read the QR back from the drawn squares and compare with the QR of the page URL.
    squares = [
        (float(x), float(y))
        for x, y, w, h in re.findall(r"([\d.]+) ([\d.]+) ([\d.]+) (-?[\d.]+) re f", pdf)
        if float(w) < 5
    ]
    size = float(re.findall(r"[\d.]+ [\d.]+ ([\d.]+) -?[\d.]+ re f", pdf)[-1])
    left, top = min(x for x, _ in squares), max(y for _, y in squares)
    read = {(round((x - left) / size), round((top - y) / size)) for x, y in squares}
    assert read == set(documents.qr_modules(page_url))


@pytest.mark.parametrize("suffix", ["", ".json", "/badge.png", "/badge.svg", "/certificate.pdf"])
def test_unknown_credential_is_404(db: None, client: Client, suffix: str) -> None:
    path = f"/credentials/5b7c1e1e-0000-4000-8000-000000000000{suffix}"
    assert client.get(path, HTTP_ACCEPT=BROWSER).status_code == 404


def test_certificate_and_badges_take_any_name(make_definition: Any, staff: dict[str, Any]) -> None:
    # The PDF's core fonts are Latin-1: other letters are folded, never an error.
    definition = make_definition("intl", name="Données — Łódź 数据 “advanced”")
    row = services.issue_credential(
        actor=staff["issuer"], definition=definition, recipient_email="c@example.org"
    )
    pdf = documents.certificate_pdf(row.document, "https://x.example/c", compress=False)
    assert 'Donn\xe9es - ?\xf3dz ?? "advanced"'.encode("latin-1") in pdf
    assert json.loads(unbake(documents.badge_png(row.document)).text) == row.document
    assert json.loads(unbake(documents.badge_svg(row.document)).text) == row.document
