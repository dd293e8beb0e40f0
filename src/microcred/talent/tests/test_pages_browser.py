"""The employer's candidate list in a real browser (Debian chromium via Playwright) on the
demo data: consenting learners only, each match explained; a learner who opts out on her
page is gone from the list on the next load."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from microcred.platform.seed import seed
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.talent import demo

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def _sign_in(browser_page: Any, live_server: Any, email: str) -> None:
    browser_page.context.clear_cookies()
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    cookie = client.cookies["sessionid"]
    browser_page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )


def test_the_employer_sees_ranked_explained_consenting_candidates(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    seed()
    _sign_in(page, live_server, demo.EMPLOYER_EMAIL)
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Employers").click()
    page.get_by_role("link", name="Acme Analytics").click()
    page.get_by_role("link", name="Candidates").click()
    cards = page.locator(".candidate")
    assert cards.count() == 2  # bo and chen; ana lacks data cleaning; dara and eli never opted in
    first = cards.nth(0).inner_text()
    assert "Bo B." in page.locator(".candidate-list").inner_text()
    assert "Candidate" in page.locator(".candidate-list").inner_text()  # chen chose no name
    assert "matched" in first and "SQL querying" in first and "Data Cleaning in Practice" in first
    assert "missing" in page.locator(".candidate-list").inner_text()
    body = page.locator("main").inner_text()
    assert "Ana A." not in body and "dara" not in body.lower() and "eli." not in body.lower()
    screenshot(page, "employer-candidates")

    _sign_in(page, live_server, "bo.borealis@example.com")
    page.goto(live_server.url + "/wallet")
    page.get_by_role("link", name="Be found by employers").click()
    page.get_by_role("button", name="Stop being found (opt out)").click()
    assert "Employers cannot find you" in page.locator("main").inner_text()

    _sign_in(page, live_server, demo.EMPLOYER_EMAIL)
    page.goto(live_server.url + "/employers/acme-analytics/")
    page.get_by_role("link", name="Candidates").click()
    assert page.locator(".candidate").count() == 1
    assert "Bo B." not in page.locator("main").inner_text()
