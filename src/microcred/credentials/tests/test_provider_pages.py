"""The provider's credential pages through the Django test client: success paths,
permissions (owner / viewer / other provider's staff / anonymous), errors, CSRF, uploads."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from microcred.bulk.models import BulkJob
from microcred.credentials import forms
from microcred.credentials.models import IssuedCredential
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.providers.models import Provider

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DEFINITION = {
    "slug": "sql-basics",
    "name": "SQL Basics",
    "description": "Writes correct SELECT queries with joins and aggregates.",
    "criteria_narrative": "Passed the practical exam.",
    "learning_outcomes": "Write a join\nGroup and aggregate rows\n",
    "skills": "SQL | http://data.europa.eu/esco/skill/sql-example | ESCO\nquerying databases | https://example.org/skills/querying",
    "expiry_months": "24",
    "status_purpose": "suspension",
}
EU = {
    "is_eu": "on",
    "credit_points": "5",
    "eqf_level": "6",
    "participation_form": "Online",
    "assessment_type": "Supervised written exam",
    "supervision_verification": "SupervisedWithIdentityVerification",
    "quality_assurance": "NVAO accredited programme",
}


def errors(response: Any) -> list[str]:
    """The error lists of a page (to say why a form was not accepted)."""
    return re.findall(r'<ul class="errorlist[^"]*"[^>]*>.*?</ul>', response.content.decode(), re.S)


def as_user(user: Any, **options: Any) -> Client:
    client = Client(**options)
    client.force_login(user)
    return client


def test_define_edit_and_publish(provider: Provider, staff: dict[str, Any]) -> None:
    owner = as_user(staff["owner"])
    assert owner.get("/providers/uni/definitions/new").status_code == 200
    response = owner.post("/providers/uni/definitions/new", DEFINITION | EU)
    assert response.status_code == 302, errors(response)
    assert response["Location"] == "/providers/uni/definitions/sql-basics/edit"
    definition = Definition.objects.get(provider=provider, slug="sql-basics")
    assert definition.status == "draft" and definition.is_eu
    assert definition.learning_outcomes == ["Write a join", "Group and aggregate rows"]
    assert definition.alignments[0] == {
        "targetName": "SQL",
        "targetUrl": "http://data.europa.eu/esco/skill/sql-example",
        "targetFramework": "ESCO",
    }
    assert definition.eu_elements["eqf_level"] == "http://data.europa.eu/snb/eqf/6"
    assert definition.eu_elements["credit_points"] == 5
    page = owner.get(response["Location"]).content.decode()
    assert "SQL | http://data.europa.eu/esco/skill/sql-example | ESCO" in page
    assert '<option value="6" selected>EQF level 6</option>' in page
    edited = DEFINITION | EU | {"name": "SQL Fundamentals"}
    assert owner.post("/providers/uni/definitions/sql-basics/edit", edited).status_code == 302
    response = owner.post("/providers/uni/definitions/sql-basics/publish")
    assert response.status_code == 302
    definition.refresh_from_db()
    assert (definition.name, definition.status) == ("SQL Fundamentals", "published")
    dashboard = owner.get("/providers/uni/").content.decode()
    assert "SQL Fundamentals" in dashboard and "Published" in dashboard


def test_form_and_service_errors_are_shown_next_to_the_fields(
    provider: Provider, staff: dict[str, Any]
) -> None:
    owner = as_user(staff["owner"])
    bad = DEFINITION | {"skills": "SQL | not a url", "name": ""}
    page = owner.post("/providers/uni/definitions/new", bad).content.decode()
    assert (
        "This field is required." in page and "line 1: &#x27;not a url&#x27; is not a URL" in page
    )
    response = owner.post("/providers/uni/definitions/new", DEFINITION | {"skills": "SQL"})
    assert b"line 1: write name | URL | framework" in response.content
    # An EU definition without its mandatory elements saves as a draft but cannot be published.
    owner.post("/providers/uni/definitions/new", DEFINITION | {"is_eu": "on"})
    response = owner.post("/providers/uni/definitions/sql-basics/publish")
    page = response.content.decode()
    assert response.status_code == 200
    assert "required for an EU micro-credential (level (EQF or NQF))" in page
    assert re.search(r'id="id_eqf_level_error"><li>required for an EU', page)
    assert re.search(r'id="id_credit_points_error"><li>required for an EU', page)
    assert Definition.objects.get(slug="sql-basics").status == "draft"
    # The slug is taken: the service's error lands on the slug field.
    page = owner.post("/providers/uni/definitions/new", DEFINITION).content.decode()
    assert "is already used by this provider" in page


def test_issue_to_one_learner_shows_the_public_page(
    definition: Definition, staff: dict[str, Any]
) -> None:
    owner = as_user(staff["owner"])
    url = f"/providers/uni/definitions/{definition.slug}/issue"
    form = owner.get(url).content.decode()
    assert 'name="idempotency_key"' in form
    data = {
        "recipient_email": "Lea@Example.org",
        "narrative": "Built a dashboard for the city.",
        "evidence_url": "https://example.org/work/42",
        "grade": "8.5",
        "valid_until": "2031-06-30",
        "idempotency_key": "web:fixed-key",
    }
    response = owner.post(url, data)
    assert response.status_code == 302
    credential = IssuedCredential.objects.get()
    assert response["Location"] == "/credentials/" + credential.credential_id.split(":")[-1]
    assert credential.recipient_email == "lea@example.org"
    subject = credential.document["credentialSubject"]
    assert subject["result"][0]["value"] == "8.5"
    assert credential.document["validUntil"].startswith("2031-06-30T23:59:59")
    assert owner.post(url, data).status_code == 302  # a double submit issues nothing new
    assert IssuedCredential.objects.count() == 1
    page = owner.get(response["Location"], HTTP_ACCEPT="text/html").content.decode()
    assert definition.name in page
    response = owner.post(url, {"recipient_email": "", "recipient_did": ""})
    assert "give a recipient email or DID" in response.content.decode()


def test_viewer_sees_but_cannot_write(definition: Definition, staff: dict[str, Any]) -> None:
    viewer = as_user(staff["viewer"])
    assert viewer.get("/providers/uni/").status_code == 200
    assert viewer.get("/providers/uni/credentials").status_code == 200
    base = f"/providers/uni/definitions/{definition.slug}"
    for url in ("/providers/uni/definitions/new", f"{base}/edit", f"{base}/issue", f"{base}/bulk"):
        assert viewer.get(url).status_code == 403, url
    assert viewer.post(f"{base}/issue", {"recipient_email": "a@example.org"}).status_code == 403
    assert viewer.post(f"{base}/publish").status_code == 403
    assert not IssuedCredential.objects.exists()


def test_other_providers_staff_get_404_everywhere(
    definition: Definition, other_provider: Provider, staff: dict[str, Any]
) -> None:
    owner = as_user(staff["owner"])
    issued = owner.post(
        f"/providers/uni/definitions/{definition.slug}/issue", {"recipient_email": "a@example.org"}
    )
    uuid = issued["Location"].rsplit("/", 1)[1]
    outsider = as_user(staff["outsider"])
    base = f"/providers/uni/definitions/{definition.slug}"
    for url in (
        "/providers/uni/",
        "/providers/uni/credentials",
        "/providers/uni/definitions/new",
        f"{base}/edit",
        f"{base}/issue",
        f"{base}/bulk",
    ):
        assert outsider.get(url).status_code == 404, url
    assert (
        outsider.post(f"/providers/uni/credentials/{uuid}/revoke", {"reason": "x"}).status_code
        == 404
    )
    # Their own provider's URL with uni's credential is not a way in either.
    assert (
        outsider.post(f"/providers/acme/credentials/{uuid}/revoke", {"reason": "x"}).status_code
        == 404
    )
    assert IssuedCredential.objects.get().state == "active"


def test_anonymous_is_sent_to_sign_in(definition: Definition) -> None:
    base = f"/providers/uni/definitions/{definition.slug}"
    for url in (
        "/providers/uni/credentials",
        f"{base}/issue",
        f"{base}/bulk",
        "/providers/uni/bulk/1",
    ):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_csrf_is_enforced(definition: Definition, staff: dict[str, Any]) -> None:
    owner = as_user(staff["owner"], enforce_csrf_checks=True)
    url = f"/providers/uni/definitions/{definition.slug}/issue"
    assert owner.post(url, {"recipient_email": "a@example.org"}).status_code == 403
    assert owner.post("/providers/uni/definitions/new", DEFINITION).status_code == 403
    assert not IssuedCredential.objects.exists()


def revoke_flow_credential(client: Client, make_definition: Callable[..., Definition]) -> str:
    definition = make_definition("susp", status_purpose="suspension")
    url = f"/providers/uni/definitions/{definition.slug}/issue"
    return str(client.post(url, {"recipient_email": "b@example.org"})["Location"].rsplit("/")[-1])


def test_suspend_unsuspend_and_revoke(
    make_definition: Callable[..., Definition], staff: dict[str, Any]
) -> None:
    owner = as_user(staff["owner"])
    uuid = revoke_flow_credential(owner, make_definition)
    base = f"/providers/uni/credentials/{uuid}"
    assert (
        'formaction="' + base + '/suspend"'
        in owner.get("/providers/uni/credentials").content.decode()
    )
    viewer = as_user(staff["viewer"])
    assert viewer.post(f"{base}/revoke", {"reason": "no"}).status_code == 403
    owner.post(f"{base}/suspend", {"reason": "under review"})
    assert IssuedCredential.objects.get().state == "suspended"
    listing = owner.get("/providers/uni/credentials?state=suspended").content.decode()
    assert "b@example.org" in listing and "Unsuspend" in listing
    assert (
        "b@example.org" not in owner.get("/providers/uni/credentials?state=active").content.decode()
    )
    owner.post(f"{base}/unsuspend", {"reason": "cleared"})
    assert IssuedCredential.objects.get().state == "active"
    response = owner.post(f"{base}/revoke", {"reason": ""}, follow=True)
    assert "give a reason" in response.content.decode()
    owner.post(f"{base}/revoke", {"reason": "plagiarism"})
    credential = IssuedCredential.objects.get()
    assert (credential.state, credential.reason) == ("revoked", "plagiarism")
    public = owner.get(f"/credentials/{uuid}", HTTP_ACCEPT="text/html").content.decode()
    assert "REVOKED BY THE ISSUER" in public


def upload(client: Client, url: str, content: bytes, name: str = "cohort.csv", **kw: Any) -> Any:
    file = SimpleUploadedFile(name, content, content_type=kw.get("content_type", "text/csv"))
    return client.post(url, {"csv": file})


@override_settings(TASKS=IMMEDIATE)
def test_bulk_dry_run_confirm_and_progress(definition: Definition, staff: dict[str, Any]) -> None:
    owner = as_user(staff["owner"])
    url = f"/providers/uni/definitions/{definition.slug}/bulk"
    bad = b"email,result\nana@example.org,pass\nnot-an-email,pass\nana@example.org,pass\n"
    page = upload(owner, url, bad).content.decode()
    assert "nothing was issued" in page and "Download the error report" in page
    assert "<tr><td>3</td><td>email</td>" in page  # the bad address, by line and column
    assert "<tr><td>4</td><td>email</td>" in page  # the duplicate
    assert not BulkJob.objects.exists()
    good = "email,result\n" + "".join(f"l{n}@example.org,pass\n" for n in range(5))
    response = upload(owner, url, good.encode("utf-8-sig"))
    job = BulkJob.objects.get()
    assert response["Location"] == f"/providers/uni/bulk/{job.pk}"
    ready = owner.get(response["Location"]).content.decode()
    assert "5 rows ready" in ready and not IssuedCredential.objects.exists()
    assert 'http-equiv="refresh"' not in ready
    assert as_user(staff["viewer"]).post(f"/providers/uni/bulk/{job.pk}/start").status_code == 403
    owner.post(f"/providers/uni/bulk/{job.pk}/start")
    done = owner.get(response["Location"]).content.decode()
    assert IssuedCredential.objects.count() == 5
    assert "Done" in done and '<progress id="job-progress" max="5" value="5">' in done
    assert as_user(staff["outsider"]).get(response["Location"]).status_code == 404


def test_running_job_page_refreshes(definition: Definition, staff: dict[str, Any]) -> None:
    owner = as_user(staff["owner"])
    url = f"/providers/uni/definitions/{definition.slug}/bulk"
    response = upload(owner, url, b"email\na@example.org\nb@example.org\n")
    BulkJob.objects.update(state=BulkJob.State.RUNNING)
    page = owner.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "0 of 2 rows" in page


def test_upload_limits(
    definition: Definition, staff: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    owner = as_user(staff["owner"])
    url = f"/providers/uni/definitions/{definition.slug}/bulk"
    assert "choose a .csv file" in upload(owner, url, b"email\n", name="x.xlsx").content.decode()
    page = upload(owner, url, b"email\n", content_type="image/png").content.decode()
    assert "a CSV file is text, not image/png" in page
    assert "not a CSV text file" in upload(owner, url, b"email\x00\x01\n").content.decode()
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    page = upload(owner, url, b"email\n" + b"a@example.org\n" * 20).content.decode()
    assert "larger than" in page
    assert not BulkJob.objects.exists()
