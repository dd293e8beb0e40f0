"""The definition editor's skill suggestions in a real browser (Debian chromium)."""

from __future__ import annotations

from typing import Any

import pytest

from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.credentials.tests.conftest import make_provider, make_user
from microcred.credentials.tests.test_provider_pages_browser import sign_in
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.skills import suggesting
from microcred.skills.importing import DEMO_TAXONOMY, import_taxonomy

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
DEMO = "urn:microcred:demo:skill:"


def test_a_provider_ticks_suggested_skills_and_saves_them(
    page: Any,  # noqa: F811
    live_server: Any,
) -> None:
    suggesting.forget_indexes()
    import_taxonomy("custom", DEMO_TAXONOMY)
    owner = make_user("owner")
    make_provider("uni", owner)
    sign_in(page, live_server, owner)
    page.goto(f"{live_server.url}/providers/uni/definitions/new")
    page.get_by_label("Slug:", exact=True).fill("sql-101")
    page.get_by_label("Name:", exact=True).fill("SQL for analysts")
    page.get_by_label("Description:").fill("Query and clean relational data.")
    page.get_by_label("Learning outcomes:").fill(
        "Write SQL queries that join tables\n"
        "Clean a messy data set: duplicates and missing values\n"
        "Present findings to managers with charts"
    )
    page.get_by_role("button", name="Suggest skills from the outcomes").click()
    page.wait_for_load_state()
    group = page.get_by_role("group", name="Write SQL queries that join tables")
    first = group.get_by_role("checkbox").first
    assert first.get_attribute("value") == DEMO + "sql"
    assert page.get_by_label("Name:", exact=True).input_value() == "SQL for analysts"
    first.check()
    cleaning = page.get_by_role(
        "group", name="Clean a messy data set: duplicates and missing values"
    )
    cleaning.get_by_label("data cleaning").check()
    screenshot(page, "definition-skill-suggestions")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    assert "saved as a draft" in page.content()
    saved = Definition.objects.get(slug="sql-101")
    assert [item["targetUrl"] for item in saved.alignments] == [
        DEMO + "sql",
        DEMO + "data-cleaning",
    ]
    assert page.get_by_label("Skills:").input_value().startswith(f"SQL querying | {DEMO}sql")
