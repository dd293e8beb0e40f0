"""The Content-Security-Policy in a real browser: pages load their styles and scripts with no
violation reported, and a 429 page is readable."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def _violations(page: Any) -> list[str]:  # noqa: F811
    found: list[str] = []
    page.on("console", lambda message: found.append(message.text))
    return found


@pytest.mark.parametrize("path", ["/", "/verify", "/accounts/login/", "/api/v1/docs"])
def test_pages_run_under_the_policy(page: Any, live_server: Any, path: str) -> None:  # noqa: F811
    messages = _violations(page)
    response = page.goto(live_server.url + path)
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.wait_for_load_state("networkidle")
    assert [m for m in messages if "Content Security Policy" in m] == []
    # The site's stylesheet applied (a style-src 'self' file): the header is laid out by it.
    display = page.evaluate("getComputedStyle(document.querySelector('body')).margin")
    assert display == "0px" or path == "/api/v1/docs"
    if path == "/verify":  # the drop-zone script ran (script-src 'self')
        assert page.locator("[data-dropzone].enhanced").count() == 1
    if path == "/api/v1/docs":  # Swagger UI rendered from its own static files
        assert page.locator(".swagger-ui .info").count() == 1


def test_the_429_page(
    page: Any,  # noqa: F811
    live_server: Any,
    settings: Any,
    frozen_rate_clock: float,
) -> None:
    settings.MICROCRED_RATES = {**settings.MICROCRED_RATES, "sign_in": "1/60"}
    for _ in range(2):
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Email:").fill("nobody@example.org")
        page.get_by_label("Password:").fill("not the password")
        page.get_by_role("button", name="Sign In").click()
        page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == "Please wait a moment"
    assert page.get_by_role("alert").inner_text() == "Too many requests."
    assert "You can try again in" in page.locator("main").inner_text()
    screenshot(page, "rate-limited")
