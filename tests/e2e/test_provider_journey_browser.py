"""Issue 3's "done when" in one browser journey, as a new user would take it from `make demo`:
a demo provider signs in, defines and publishes a micro-credential, issues it to a CSV of
learners with the progress page, a new learner signs up from the claim email and finds the
credential in their account, the provider revokes another learner's credential, and an
employer's `microcred verify URL` (a separate process, over HTTP) reports it revoked while
the claimed one verifies."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from microcred.credentials.models import IssuedCredential
from microcred.platform import seed
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)
from tests.e2e.employer import verify_url

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
OWNER = "owner@utrecht-uas.demo.microcred.test"
COHORT = ["new.learner@example.org", "kim@example.org", "lou@example.org"]


def _link(pattern: str, to: str, base: str) -> str:
    """The first link matching ``pattern`` in the newest email to ``to``, on the live server."""
    for message in reversed(mail.outbox):
        if to in message.to and (found := re.search(pattern, str(message.body))):
            return re.sub(r"^https?://[^/]+", base, found.group(0))
    raise AssertionError(f"no email to {to} with {pattern}")


def _sign_in(browser_page: Any, base: str, email: str, password: str) -> None:
    browser_page.goto(base + "/accounts/login/")
    browser_page.get_by_label("Email:").fill(email)
    browser_page.get_by_label("Password:").fill(password)
    browser_page.get_by_role("button", name=re.compile("Sign In", re.I)).click()
    browser_page.wait_for_load_state()


def _define_and_publish(browser_page: Any, base: str) -> None:
    browser_page.goto(base + "/providers/utrecht-uas/")
    browser_page.get_by_role("link", name="New micro-credential").first.click()
    browser_page.get_by_label("Slug:", exact=True).fill("git-teamwork")
    browser_page.get_by_label("Name:", exact=True).fill("Git for Teams")
    browser_page.get_by_label("Description:").fill("Collaborates on code through branches.")
    browser_page.get_by_label("Criteria:").fill("Merged three reviewed pull requests.")
    browser_page.get_by_label("Learning outcomes:").fill("Resolve a merge conflict")
    browser_page.get_by_role("button", name="Save as draft").click()
    browser_page.wait_for_load_state()
    browser_page.get_by_role("button", name="Publish").click()
    browser_page.wait_for_load_state()
    assert "is now published" in browser_page.locator("main").inner_text()


def _bulk_issue(browser_page: Any, base: str) -> None:
    browser_page.goto(base + "/providers/utrecht-uas/definitions/git-teamwork/bulk")
    rows = "".join(f"{email},pass\n" for email in COHORT)
    upload = {"name": "cohort.csv", "mimeType": "text/csv", "buffer": f"email,result\n{rows}"}
    browser_page.get_by_label("CSV file:").set_input_files(
        files=[{**upload, "buffer": upload["buffer"].encode()}]
    )
    browser_page.get_by_role("button", name="Check the file").click()
    browser_page.wait_for_load_state()
    browser_page.get_by_role("button", name="Issue 3 credentials").click()
    browser_page.get_by_role("heading", name="Done").wait_for()
    assert "3 of 3 rows processed (100%)" in browser_page.locator("main").inner_text()


def _learner_claims(browser: Any, base: str) -> None:
    """A learner with no account follows the claim link, signs up, confirms the address."""
    context = browser.new_context(viewport={"width": 1000, "height": 800})
    learner = context.new_page()
    learner.goto(_link(r"https?://\S+/claim/\S+", COHORT[0], base))
    learner.locator("main").get_by_role("link", name="Create account").click()
    learner.get_by_label("Email:").fill(COHORT[0])
    learner.get_by_label("Password:", exact=True).fill("a long pass phrase 42")
    learner.get_by_label("Password (again):").fill("a long pass phrase 42")
    learner.get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    learner.wait_for_load_state()
    learner.goto(_link(r"https?://\S+/accounts/confirm-email/\S+/", COHORT[0], base))
    learner.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    learner.wait_for_load_state()
    learner.goto(base + "/me/credentials")
    assert "Git for Teams" in learner.locator("main").inner_text()
    screenshot(learner, "journey-learner-credentials")
    context.close()


def _revoke(browser_page: Any, base: str, email: str) -> None:
    browser_page.goto(base + "/providers/utrecht-uas/credentials")
    row = browser_page.get_by_role("row").filter(has_text=email).filter(has_text="Git for Teams")
    row.get_by_label(f"Reason for {email}").fill("Pull requests were not her own")
    row.get_by_role("button", name="Revoke").click()
    browser_page.wait_for_load_state()
    assert "revoked" in browser_page.locator(".messages").inner_text()


@override_settings(TASKS=IMMEDIATE)
def test_a_demo_provider_defines_issues_a_cohort_sees_a_claim_revokes_and_an_employer_checks(
    page: Any,  # noqa: F811
    live_server: Any,
    settings: Any,
) -> None:
    settings.MICROCRED_BASE_URL = live_server.url  # ids, links and status lists point here
    base = live_server.url
    seed.seed()
    _sign_in(page, base, OWNER, seed.DEMO_PASSWORD)
    _define_and_publish(page, base)
    _bulk_issue(page, base)
    _learner_claims(page.context.browser, base)
    _revoke(page, base, COHORT[1])
    screenshot(page, "journey-provider-revoked")

    def url(email: str) -> str:
        row = IssuedCredential.objects.get(recipient_email=email, definition__slug="git-teamwork")
        return f"{base}/credentials/{row.credential_id.removeprefix('urn:uuid:')}"

    code, report = verify_url(url(COHORT[1]))
    failing = [check["check"] for check in report["checks"] if not check["ok"]]
    assert code == 1 and failing == ["status"], report
    code, report = verify_url(url(COHORT[0]))
    assert code == 0 and report["verified"], report
