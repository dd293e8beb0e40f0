"""The home page and the account flow in a real browser (chromium via Playwright)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from microcred.platform.tests.conftest import screenshot

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_home_page_is_usable_with_the_keyboard(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/")
    assert (
        page.get_by_role("heading", level=1).inner_text()
        == "Micro-credentials that verify anywhere"
    )
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    screenshot(page, "home")


def test_sign_up_confirm_and_sign_in(page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email:").fill("ana@example.com")
    page.get_by_label("Password:", exact=True).fill("a long pass phrase 42")
    page.get_by_label("Password (again):").fill("a long pass phrase 42")
    screenshot(page, "signup")
    page.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    page.wait_for_load_state()
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", str(mail.outbox[-1].body))
    assert link is not None
    page.goto(link.group(0).replace("http://testserver", live_server.url))
    page.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    page.wait_for_load_state()
    assert "ana@example.com" in page.locator("header").inner_text()
    screenshot(page, "signed-in")
