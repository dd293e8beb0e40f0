"""The goal page in a real browser: a learner searches "data analyst", chooses it, sees the
skills she lacks and a costed plan, and switches the plan from hours to price."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.talent.tests.goal_world import build_world

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def test_a_learner_picks_data_analyst_and_sees_the_gap_and_a_costed_plan(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    world = build_world()
    world.award("ana", "sql-course")
    client = Client()
    client.force_login(world.learner("ana"))
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="My goal").click()
    page.get_by_label("Search occupations").fill("data analyst")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("button", name="Choose data analyst (test)").click()
    assert "data analyst (test)" in page.locator(".goal-name").inner_text()
    lacking = page.locator("table.gap-lack").inner_text()
    assert "data cleaning" in lacking and "descriptive statistics" in lacking
    assert "SQL querying" in page.locator("table.gap-have").inner_text()
    steps = page.locator(".plan-step")
    assert steps.count() == 2  # by hours: the bootcamp and the charts course
    assert page.locator("[data-total=hours]").inner_text() == "50 hours"
    assert "data protection (GDPR)" in page.locator(".plan-uncovered").inner_text()
    screenshot(page, "goal-plan-hours")
    page.get_by_label("Plan for").select_option("price")
    page.get_by_role("button", name="Update plan").click()
    assert page.locator("[data-total=price]").inner_text() == "EUR 260"
    texts = page.locator(".plan-step").all_inner_texts()
    titles = page.locator(".plan-step-head strong").all_inner_texts()
    assert len(titles) == 4
    maths, stats = titles.index("Intro maths"), titles.index("Statistics online")
    assert maths < stats and "Prerequisite of" in texts[maths]
    screenshot(page, "goal-plan-price")
