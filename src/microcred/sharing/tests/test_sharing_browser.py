"""Sharing in a real browser (Debian chromium via Playwright): from the wallet, choose three
credentials, make a link that expires, open it in a fresh browser (no session), turn on the
public profile and mark credentials public, see the profile as a visitor, revoke the link."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.sharing.tests.conftest import IMPORTED, NAMES
from microcred.wallet.tests.conftest import HOME, WORK
from microcred.wallet.tests.test_wallet_browser import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
SHARED = [NAMES[0], NAMES[2], IMPORTED]


def _visitor(page: Any) -> Any:  # noqa: F811
    """A page in a fresh browser context: no cookies, nobody signed in."""
    return page.context.browser.new_context(viewport={"width": 1200, "height": 800}).new_page()


def _make_link(page: Any) -> str:  # noqa: F811
    page.get_by_role("link", name="Share…").click()
    page.get_by_role("link", name="Share credentials by link").click()
    for name in SHARED:
        page.get_by_role("checkbox", name=name).check()
    page.get_by_label("Expires after (days)").fill("7")
    page.get_by_label("Label (only you see it)").fill("Application at Acme")
    screenshot(page, "sharing-new-link")
    page.get_by_role("button", name="Make the link").click()
    page.wait_for_load_state()
    assert "Your share link is ready" in page.locator("h1").inner_text()
    screenshot(page, "sharing-link-created")
    return str(page.get_by_label("Share link").input_value())


def _check_link(visitor: Any, url: str) -> None:
    visitor.goto(url)
    text = visitor.locator("main").inner_text()
    assert all(name in text for name in SHARED) and NAMES[1] not in text
    assert WORK not in text and HOME not in text and "Acme" not in text
    assert visitor.locator(".shared-credential").count() == 3
    screenshot(visitor, "sharing-link-visitor")


def _publish_profile(page: Any) -> None:  # noqa: F811
    page.get_by_role("link", name="Profile settings").click()
    page.get_by_label("Show my public profile").check()
    page.get_by_label("Handle (your address: /people/<handle>)").fill("ana-lima")
    page.get_by_label("Name to show").fill("Ana Lima")
    page.get_by_label("Short bio").fill("Data analyst in training.")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    for name in (NAMES[0], IMPORTED):
        page.get_by_role("checkbox", name=name).check()
    page.get_by_role("button", name="Save what is public").click()
    page.wait_for_load_state()
    assert "2 credential(s) public" in page.get_by_role("status").inner_text()
    assert page.get_by_role("link", name="Add to LinkedIn profile").count() == 2
    screenshot(page, "sharing-dashboard")


def test_share_three_by_link_then_the_public_profile(
    page: Any,  # noqa: F811
    live_server: Any,
    settings: Any,
    learner: Any,
    request: pytest.FixtureRequest,
) -> None:
    settings.MICROCRED_BASE_URL = live_server.url
    request.getfixturevalue("wallet")
    sign_in(page, live_server, learner)
    page.goto(live_server.url + "/wallet")
    url = _make_link(page)
    assert url.startswith(live_server.url + "/share/")
    visitor = _visitor(page)
    _check_link(visitor, url)

    page.goto(live_server.url + "/sharing")
    _publish_profile(page)
    visitor.goto(live_server.url + "/people/ana-lima")
    text = visitor.locator("main").inner_text()
    assert "Ana Lima" in text and "Data analyst in training." in text
    assert NAMES[0] in text and IMPORTED in text and NAMES[2] not in text
    screenshot(visitor, "sharing-profile-visitor")
    visitor.get_by_role("link", name=IMPORTED).click()
    visitor.wait_for_load_state("load")  # images included
    width = "img => img.complete ? img.naturalWidth : new Promise(r => img.onload = () => r(img.naturalWidth))"
    assert visitor.locator("img[src$='badge.svg']").evaluate(width) == 400  # the SVG drew
    screenshot(visitor, "sharing-public-credential")

    page.get_by_role("button", name="Revoke the link Application at Acme").click()
    page.wait_for_load_state()
    visitor.goto(url)
    assert "This share link is no longer valid" in visitor.locator("h1").inner_text()
    assert NAMES[0] not in visitor.locator("main").inner_text()
    screenshot(visitor, "sharing-link-revoked")
