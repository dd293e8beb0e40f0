"""The provider's pages in a real browser (Debian chromium via Playwright): define and
publish a micro-credential, issue to one learner, bulk issue with the progress page, revoke."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client, override_settings

from microcred.credentials import services
from microcred.credentials.models import IssuedCredential
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from microcred.providers.models import Provider

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def sign_in(browser_page: Any, live_server: Any, user: Any) -> None:
    """Sign in by session cookie (the sign-in form itself has its own browser test)."""
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"]
    browser_page.context.add_cookies(
        [{"name": "sessionid", "value": cookie.value, "url": live_server.url}]
    )


def test_define_and_publish_a_micro_credential(
    page: Any,  # noqa: F811
    live_server: Any,
    provider: Provider,
    staff: dict[str, Any],
) -> None:
    sign_in(page, live_server, staff["owner"])
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="My providers").click()
    page.get_by_role("link", name="Uni University").click()
    page.get_by_role("link", name="New micro-credential").first.click()
    page.get_by_label("Slug:", exact=True).fill("ml-intro")
    page.get_by_label("Name:", exact=True).fill("Introduction to Machine Learning")
    page.get_by_label("Description:").fill("Trains and evaluates simple supervised models.")
    page.get_by_label("Criteria:").fill("Passed the project and the oral exam.")
    page.get_by_label("Learning outcomes:").fill("Split data for validation\nTrain a classifier")
    page.get_by_label("Skills:").fill(
        "machine learning | http://data.europa.eu/esco/skill/ml-example | ESCO"
    )
    page.get_by_label("EU micro-credential").check()
    page.get_by_label("ECTS credits:").fill("3")
    page.get_by_label("EQF level:").select_option("6")
    page.get_by_label("Form of participation:").select_option("Blended")
    page.get_by_label("Type of assessment:").fill("Project and oral exam")
    page.get_by_label("Type of quality assurance:").fill("Internal QA, NVAO accredited")
    page.get_by_role("button", name="Save as draft").click()
    page.wait_for_load_state()
    assert "was saved as a draft" in page.locator("main").inner_text()
    screenshot(page, "provider-definition-form")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state()
    assert "is now published" in page.locator("main").inner_text()
    definition = Definition.objects.get(slug="ml-intro")
    assert (definition.status, definition.is_eu) == ("published", True)
    assert page.get_by_role("link", name="Issue to a learner").is_visible()


def test_issue_to_one_learner(
    page: Any,  # noqa: F811
    live_server: Any,
    definition: Definition,
    staff: dict[str, Any],
) -> None:
    sign_in(page, live_server, staff["issuer"])
    page.goto(f"{live_server.url}/providers/uni/")
    page.get_by_role("link", name="Issue", exact=True).click()
    page.get_by_label("Learner's email:").fill("noor@example.org")
    page.get_by_label("Result / grade:").fill("Excellent")
    page.get_by_role("button", name="Issue credential").click()
    page.wait_for_load_state()
    credential = IssuedCredential.objects.get()
    assert page.url.endswith("/credentials/" + credential.credential_id.split(":")[-1])
    assert page.get_by_role("heading", level=1).inner_text() == definition.name
    assert "✔ Valid" in page.locator("main").inner_text()


@override_settings(TASKS=IMMEDIATE)
def test_bulk_issue_with_progress(
    page: Any,  # noqa: F811
    live_server: Any,
    definition: Definition,
    staff: dict[str, Any],
) -> None:
    sign_in(page, live_server, staff["owner"])
    page.goto(f"{live_server.url}/providers/uni/definitions/{definition.slug}/bulk")
    broken = b"email,result\nana@example.org,pass\n=HYPERLINK(1),pass\n"
    upload = {"name": "broken.csv", "mimeType": "text/csv", "buffer": broken}
    page.get_by_label("CSV file:").set_input_files(files=[upload])
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert "nothing was issued" in page.get_by_role("heading", level=2).first.inner_text()
    report = page.get_by_role("link", name="Download the error report (CSV)")
    assert report.get_attribute("download") == "broken-errors.csv"
    with page.expect_download() as download:
        report.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    # The spreadsheet-safe report: the formula-looking cell is quoted, not executable.
    assert text.startswith("line,column,value,error") and "'=HYPERLINK(1)" in text
    screenshot(page, "provider-bulk-dry-run-errors")
    rows = "".join(f"learner{n}@example.org,pass\n" for n in range(12))
    upload = {
        "name": "cohort.csv",
        "mimeType": "text/csv",
        "buffer": b"email,result\n" + rows.encode(),
    }
    page.get_by_label("CSV file:").set_input_files(files=[upload])
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="12 rows ready").is_visible()
    assert not IssuedCredential.objects.exists()
    page.get_by_role("button", name="Issue 12 credentials").click()
    page.wait_for_load_state()
    page.get_by_role("heading", name="Done").wait_for()
    assert "12 of 12 rows processed (100%)" in page.locator("main").inner_text()
    assert page.locator("progress").get_attribute("value") == "12"
    screenshot(page, "provider-bulk-progress")
    assert IssuedCredential.objects.count() == 12
    page.goto(f"{live_server.url}/providers/uni/")
    assert re.search(r"Issued\s+12", page.locator(".stat-row").inner_text())
    screenshot(page, "provider-dashboard")


def test_revoke_and_the_public_page_says_so(
    page: Any,  # noqa: F811
    live_server: Any,
    make_definition: Callable[..., Definition],
    staff: dict[str, Any],
) -> None:
    definition = make_definition("susp", status_purpose="suspension")
    for email in ("kim@example.org", "lou@example.org"):
        services.issue_credential(
            actor=staff["owner"], definition=definition, recipient_email=email
        )
    sign_in(page, live_server, staff["owner"])
    page.goto(f"{live_server.url}/providers/uni/credentials")
    row = page.get_by_role("row").filter(has_text="kim@example.org")
    row.get_by_label("Reason for kim@example.org").fill("Issued by mistake")
    row.get_by_role("button", name="Revoke").click()
    page.wait_for_load_state()
    assert "revoked" in page.locator(".messages").inner_text()
    screenshot(page, "provider-credential-list")
    credential = IssuedCredential.objects.get(recipient_email="kim@example.org")
    assert credential.state == "revoked"
    page.get_by_role("link", name="kim@example.org").click()
    page.wait_for_load_state()
    assert "REVOKED BY THE ISSUER" in page.locator(".standing").inner_text()
