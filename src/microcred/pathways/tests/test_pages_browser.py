"""The pathway pages in a real browser (Debian chromium via Playwright): a learner's progress
tree on the demo data, and a provider's editor refusing a broken pathway with its place."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from microcred.credentials.achievements import achievement_id
from microcred.credentials.models import MicroCredentialDefinition
from microcred.platform.seed import seed
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def _sign_in(browser_page: Any, live_server: Any, email: str) -> None:
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    cookie = client.cookies["sessionid"]
    browser_page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )


def test_a_learner_sees_her_progress_tree_and_whats_next(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    seed()
    _sign_in(page, live_server, "bo.borealis@example.com")
    page.goto(live_server.url + "/pathways")
    assert page.get_by_label("75% done").get_attribute("value") == "75"
    page.get_by_role("link", name="Data Analytics micro-degree").click()
    tree = page.locator(".tree")
    assert tree.locator(".state-done").count() == 3  # three of the four leaves
    assert tree.locator(".state-partial").count() == 1  # "All of these", above them
    missing = tree.locator(".state-missing")
    assert missing.count() == 1
    assert "SQL Basics" in page.locator(".step-missing").inner_text()
    assert "SQL Basics" in page.locator(".next-steps").inner_text()
    screenshot(page, "pathway-progress")


def test_the_editor_names_the_place_of_an_error(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    seed()
    _sign_in(page, live_server, "owner@utrecht-uas.demo.microcred.test")
    page.goto(live_server.url + "/providers/utrecht-uas/pathways")
    page.get_by_label("The pathway (YAML or JSON)").fill(
        "id: broken\nname: Broken\nrequirement:\n  type: atLeast\n  k: 2\n  children:\n"
        "    - type: skill\n      skill: SQL\n"
    )
    page.get_by_role("button", name="Check").click()
    errors = page.locator("#source-errors").inner_text()
    assert "requirement.k" in errors
    screenshot(page, "pathway-editor-error")


@override_settings(
    TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
)
def test_a_provider_authors_and_publishes_a_pathway_and_a_learner_has_completed_it(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    seed()
    nordic = MicroCredentialDefinition.objects.filter(provider__slug="nordic-data-academy")
    ml, pipelines = (
        achievement_id(nordic.get(slug=s)) for s in ("ml-foundations", "data-pipelines")
    )
    _sign_in(page, live_server, "owner@nordic-data-academy.demo.microcred.test")
    page.goto(live_server.url + "/providers/nordic-data-academy/")
    page.locator("main").get_by_role("link", name="Pathways").click()
    page.get_by_label("The pathway (YAML or JSON)").fill(
        "id: ml-engineer\nname: ML Engineering certificate\nrevocationPolicy: flag\n"
        "requirement:\n  type: all\n  children:\n"
        f"    - type: achievement\n      achievementId: {ml}\n"
        f"    - type: achievement\n      achievementId: {pipelines}\n"
    )
    page.get_by_role("button", name="Check").click()
    assert "The pathway is valid." in page.locator(".messages").inner_text()
    page.get_by_role("button", name="Publish").click()
    assert "ML Engineering certificate v1 is published." in page.locator(".messages").inner_text()
    screenshot(page, "pathway-editor-published")

    _sign_in(page, live_server, "ana.andromeda@example.com")  # holds both components
    page.goto(live_server.url + "/pathways")
    text = page.locator("main").inner_text()
    assert "ML Engineering certificate\n\nNordic Data Academy\n\nAwarded" in text, text
    page.get_by_role("link", name="ML Engineering certificate").click()
    assert page.locator(".tree .state-done").count() == 3  # both leaves and "all of these"
