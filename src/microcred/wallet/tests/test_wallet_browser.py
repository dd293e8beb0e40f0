"""The wallet in a real browser (Debian chromium via Playwright): import a file and a pasted
credential, see the list with verdicts, open one, and download a signed presentation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.wallet.tests.conftest import OB3

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def sign_in(browser_page: Any, live_server: Any, user: Any) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    browser_page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )


def test_import_a_file_and_a_paste_then_the_list(
    page: Any,  # noqa: F811
    live_server: Any,
    learner: Any,
    issue: Any,
    fixtures_offline: None,
) -> None:
    sign_in(page, live_server, learner)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Wallet").click()
    assert "Your wallet is empty" in page.locator("main").inner_text()
    page.get_by_role("link", name="Import a credential").click()
    screenshot(page, "wallet-import")

    page.get_by_label("Credential file").set_input_files(str(OB3 / "simple-json.svg"))
    page.get_by_role("button", name="Upload and verify").click()
    page.wait_for_load_state()
    result = page.get_by_role("status").inner_text()
    assert "Added: Teamwork." in result
    screenshot(page, "wallet-import-file-added")

    expired = (OB3 / "simple-err-expired.json").read_text(encoding="utf-8")
    page.get_by_label("Credential JSON or JWT").fill(expired)
    page.get_by_role("button", name="Verify and add").click()
    page.wait_for_load_state()
    refused = page.get_by_role("status").inner_text()
    assert "Already in your wallet: Teamwork." in refused  # the same credential id

    revoked = (OB3 / "bit-string-list-credential-status-revoked.json").read_text(encoding="utf-8")
    page.get_by_label("Credential JSON or JWT").fill(revoked)
    page.get_by_role("button", name="Verify and add").click()
    page.wait_for_load_state()
    result = page.get_by_role("status").inner_text()
    screenshot(page, "wallet-import-refused")
    assert "Not added: Revoked by its issuer." in result
    assert page.locator(".results details[open] .checks li.bad").count() == 1

    other = (OB3 / "simple-eddsa-2022.json").read_text(encoding="utf-8")
    page.get_by_label("Credential JSON or JWT").fill(other)
    page.locator("#paste").get_by_label("Keep it with its failing report").check()
    page.get_by_role("button", name="Verify and add").click()
    page.wait_for_load_state()
    assert "Added:" in page.get_by_role("status").inner_text()
    screenshot(page, "wallet-import-paste-added")

    page.get_by_role("link", name="My wallet").click()
    rows = page.locator("table.wallet-table tbody tr")
    assert rows.count() == 2
    text = page.locator("table.wallet-table").inner_text()
    assert "Teamwork" in text and "Example Corp" in text and "Valid" in text
    assert "did:key:z6Mk" in page.locator(".holder").inner_text()
    screenshot(page, "wallet-list")

    page.get_by_role("link", name="Teamwork").click()
    assert "✔ Valid" in page.locator(".standing").inner_text()
    screenshot(page, "wallet-detail")

    page.go_back()
    page.get_by_label("Present Teamwork").check()
    page.get_by_label("Challenge (optional)").fill("nonce-42")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download a signed presentation").click()
    path = download.value.path()
    presentation = json.loads(Path(path).read_text(encoding="utf-8"))
    assert presentation["proof"]["challenge"] == "nonce-42"
    assert len(presentation["verifiableCredential"]) == 1
