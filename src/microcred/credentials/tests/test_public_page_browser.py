"""The public credential page in a real browser (chromium via Playwright)."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.credentials import services
from microcred.credentials.tests.conftest import EU_ELEMENTS
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_issued_and_revoked_pages(
    page: Any,  # noqa: F811
    live_server: Any,
    make_definition: Any,
    staff: dict[str, Any],
) -> None:
    definition = make_definition(is_eu=True, eu_elements=EU_ELEMENTS, expiry_months=24)
    rows = [
        services.issue_credential(
            actor=staff["issuer"], definition=definition, recipient_email=f"l{n}@example.org"
        )
        for n in range(2)
    ]
    services.revoke(actor=staff["owner"], credential=rows[1], reason="issued by mistake")
    paths = [f"/credentials/{row.credential_id.removeprefix('urn:uuid:')}" for row in rows]

    page.goto(live_server.url + paths[0])
    assert page.get_by_role("heading", level=1).inner_text() == "Data Analysis Fundamentals"
    assert "Verified" in page.locator("#h-report").inner_text()
    assert page.locator(".checks li.bad").count() == 0
    assert page.locator(".badge").evaluate("img => img.naturalWidth") == 400  # baked PNG loads
    assert page.get_by_role("link", name="Add to LinkedIn profile").get_attribute("href")
    screenshot(page, "credential-page")

    page.goto(live_server.url + paths[1])
    assert "REVOKED" in page.locator(".standing").inner_text()
    assert "Not verified" in page.locator("#h-report").inner_text()
    assert "Status" in page.locator(".checks li.bad").first.inner_text()
    screenshot(page, "credential-page-revoked")
