"""The verification portal in a real browser (chromium via Playwright): several files
uploaded at once, then the summary table and a report per credential."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.verification.tests.conftest import document_bytes, signed_elsewhere

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_upload_several_files_then_table_and_reports(
    page: Any,  # noqa: F811
    live_server: Any,
    issue: Any,
    make_issuer: Any,
    tmp_path: Path,
) -> None:
    valid, revoked = issue(), issue("bo@example.org", state="revoked")
    make_issuer("Uni University", dids=[valid.document["issuer"]["id"]], vetted_by="NVAO")
    files = {
        "valid.json": document_bytes(valid),
        "revoked.json": document_bytes(revoked),
        "expired.json": signed_elsewhere(expired=True),
        "tampered.json": signed_elsewhere(tampered=True),
        "other.jwt": signed_elsewhere(suite="vc-jwt"),
    }
    paths = []
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
        paths.append(str(tmp_path / name))

    page.goto(live_server.url + "/verify")
    assert page.get_by_role("heading", level=1).inner_text() == "Verify credentials"
    page.get_by_label("Credential files").set_input_files(paths)
    assert "5 chosen" in page.locator("[data-chosen]").inner_text()  # the enhancement
    screenshot(page, "verify-form")
    page.get_by_role("button", name="Verify").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Verification results"
    verdicts = page.locator("table.verify-summary tbody tr td:last-child").all_inner_texts()
    assert [v.split(" ", 1)[1] for v in verdicts] == [
        "Valid", "Revoked", "Expired", "Signature does not hold", "Valid",
    ]  # fmt: skip
    headers = page.locator("table.verify-summary thead th").all_inner_texts()
    assert [h.lower() for h in headers] == [
        "#",
        "holder",
        "achievement",
        "issuer",
        "issued",
        "verdict",
    ]
    screenshot(page, "verify-results")

    page.locator("#row-2 a").click()
    assert page.url.endswith("#credential-2")
    report = page.locator("#credential-2")
    assert "Revoked." in report.locator(".verdict-banner").inner_text()
    assert "Known issuer: Uni University, vetted by NVAO" in report.inner_text()
    failed = report.locator(".checks li.bad").inner_text()
    assert "Revocation and suspension" in failed and "the issuer has revoked" in failed
    unknown = page.locator("#credential-3").inner_text()
    assert "Unknown issuer: not in this platform's trust registry." in unknown
    assert "expired on 30 June 2025" in unknown
    page.locator("#credential-2").screenshot(path=str(screenshot(page, "verify-report-revoked")))


def test_the_form_works_without_javascript(
    page: Any,  # noqa: F811
    live_server: Any,
    tmp_path: Path,
) -> None:
    page.context.add_init_script("window.DataTransfer = undefined;")  # no drop zone
    jwt = tmp_path / "a.jwt"
    jwt.write_bytes(signed_elsewhere(suite="vc-jwt"))
    page.goto(live_server.url + "/verify")
    assert page.locator(".dropzone.enhanced").count() == 0
    page.get_by_label("Credential files").set_input_files([str(jwt)])
    page.get_by_label("Credential URLs").fill("not a url")
    page.get_by_role("button", name="Verify").click()
    alert = page.get_by_role("alert")
    assert "URL line 1 (not a url): not an http(s) URL" in alert.inner_text()
    screenshot(page, "verify-errors")
