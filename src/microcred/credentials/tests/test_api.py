"""The provider API end to end: every route, problem+json errors, provider isolation."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from microcred.core.verify.report import VerificationReport
from microcred.credentials import services
from microcred.credentials.models import IssuedCredential
from microcred.providers import services as provider_services
from microcred.providers.models import Provider

Verify = Callable[[dict[str, Any]], VerificationReport]
PROBLEM_KEYS = {"type", "title", "status", "detail"}


class Api:
    """A client that sends one provider's bearer token."""

    def __init__(self, secret: str) -> None:
        self.client = Client(headers={"Authorization": f"Bearer {secret}"})

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params)

    def post(self, path: str, body: Any = None) -> Any:
        data = json.dumps(body if body is not None else {})
        return self.client.post(f"/api/v1{path}", data, "application/json")

    def upload(self, path: str, definition: str, content: bytes) -> Any:
        upload = SimpleUploadedFile("cohort.csv", content, "text/csv")
        body = {"definition": definition, "file": upload}
        return self.client.post(f"/api/v1{path}", body)

    def patch(self, path: str, body: Any) -> Any:
        return self.client.patch(f"/api/v1{path}", json.dumps(body), "application/json")


def _api(provider: Provider, owner: Any, role: str = "issuer") -> Api:
    _, secret = provider_services.create_api_token(
        actor=owner, provider=provider, name=f"{role} token", role=role
    )
    return Api(secret)


@pytest.fixture
def api(provider: Provider, staff: dict[str, Any]) -> Api:
    return _api(provider, staff["owner"])


@pytest.fixture
def acme_api(other_provider: Provider, staff: dict[str, Any]) -> Api:
    return _api(other_provider, staff["outsider"])


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body: dict[str, Any] = response.json()
    assert set(body) >= PROBLEM_KEYS and body["status"] == status
    return body


def _issue(api: Api, **extra: Any) -> Any:
    body = {"definition": "data-101", "recipient_email": "ana@example.com", **extra}
    return api.post("/credentials", body)


def test_definition_lifecycle(api: Api, provider: Provider) -> None:
    created = api.post(
        "/definitions",
        {"slug": "sql-1", "name": "SQL Basics", "description": "Writes SELECT queries."},
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == "draft" and created.json()["version"] == 1
    assert created.json()["achievement_id"].endswith("/achievements/uni/sql-1/v1")
    patched = api.patch(
        "/definitions/sql-1", {"description": "Writes joins too.", "expiry_months": 24}
    )
    assert patched.status_code == 200 and patched.json()["expiry_months"] == 24
    published = api.post("/definitions/sql-1/publish")
    assert published.status_code == 200 and published.json()["status"] == "published"
    listed = api.get("/definitions").json()
    assert [(d["slug"], d["status"]) for d in listed] == [("sql-1", "published")]
    assert api.get("/definitions/sql-1").json()["description"] == "Writes joins too."


def test_editing_an_issued_definition_creates_a_version(api: Api, definition: Any) -> None:
    assert _issue(api).status_code == 201
    patched = api.patch("/definitions/data-101", {"name": "Data Analysis I"})
    assert patched.json()["version"] == 2 and patched.json()["status"] == "published"
    versions = [(d["version"], d["status"]) for d in api.get("/definitions").json()]
    assert versions == [(2, "published"), (1, "archived")]


def test_issue_returns_the_signed_credential_that_verifies(
    api: Api, definition: Any, verify: Verify, client: Client
) -> None:
    response = _issue(api, narrative="Built a dashboard", evidence_url="https://ex.org/e/1")
    assert response.status_code == 201, response.content
    body = response.json()
    document = body["document"]
    assert document["id"] == body["credential_id"] == f"urn:uuid:{body['uuid']}"
    assert body["url"].endswith(f"/credentials/{body['uuid']}")
    assert json.loads(client.get(f"/credentials/{body['uuid']}").content) == document
    report = verify(document)
    assert report.verified, [(c.check, c.message) for c in report.checks if not c.ok]


def test_same_idempotency_key_returns_the_same_credential(api: Api, definition: Any) -> None:
    first = _issue(api, idempotency_key="row-7")
    again = _issue(api, idempotency_key="row-7", recipient_email="someone-else@example.com")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["document"] == first.json()["document"]
    assert IssuedCredential.objects.count() == 1


def test_list_filters_and_pages(api: Api, definition: Any, make_definition: Any) -> None:
    make_definition("stats-2")
    uuids = [_issue(api, recipient_email=f"l{i}@example.com").json()["uuid"] for i in range(3)]
    _issue(api, definition="stats-2")
    api.post(f"/credentials/{uuids[0]}/revoke", {"reason": "plagiarism"})
    page = api.get("/credentials", limit=2, offset=0).json()
    assert page["count"] == 4 and len(page["items"]) == 2 and page["limit"] == 2
    assert len(api.get("/credentials", limit=2, offset=2).json()["items"]) == 2
    revoked = api.get("/credentials", state="revoked").json()
    assert [item["uuid"] for item in revoked["items"]] == [uuids[0]]
    by_definition = api.get("/credentials", definition="stats-2").json()
    assert by_definition["count"] == 1 and by_definition["items"][0]["definition"] == "stats-2"
    one = api.get(f"/credentials/{uuids[1]}").json()
    assert one["state"] == "active" and one["document"]["id"] == f"urn:uuid:{uuids[1]}"


def test_revoke_shows_in_the_status_list(api: Api, definition: Any, verify: Verify) -> None:
    issued = _issue(api).json()
    revoked = api.post(f"/credentials/{issued['uuid']}/revoke", {"reason": "issued in error"})
    assert revoked.status_code == 200
    assert revoked.json()["state"] == "revoked" and revoked.json()["reason"] == "issued in error"
    report = verify(issued["document"])
    assert not report.verified
    assert [c.ok for c in report.checks if c.check == "status"] == [False]


def test_suspend_and_unsuspend(api: Api, make_definition: Any, verify: Verify) -> None:
    make_definition("data-101", status_purpose="suspension")
    issued = _issue(api).json()
    path = f"/credentials/{issued['uuid']}"
    assert api.post(f"{path}/suspend", {"reason": "under review"}).json()["state"] == "suspended"
    assert not verify(issued["document"]).verified
    assert api.post(f"{path}/unsuspend", {"reason": "cleared"}).json()["state"] == "active"
    assert verify(issued["document"]).verified


def test_400_names_the_fields(api: Api, definition: Any) -> None:
    body = _problem(_issue(api, recipient_email="not-an-email"), 400)
    assert "recipient_email" in body["errors"]
    uuid = _issue(api).json()["uuid"]
    body = _problem(api.post(f"/credentials/{uuid}/revoke", {"reason": " "}), 400)
    assert list(body["errors"]) == ["reason"]
    body = _problem(
        api.post("/definitions", {"slug": "data-101", "name": "A", "description": "B"}), 400
    )
    assert "slug" in body["errors"]


def test_422_names_the_fields(api: Api, definition: Any) -> None:
    body = _problem(api.post("/credentials", {"recipient_email": "a@example.com"}), 422)
    assert "definition" in body["errors"]
    body = _problem(api.get("/credentials", limit=0, state="lost"), 422)
    assert {"limit", "state"} <= set(body["errors"])
    body = _problem(api.patch("/definitions/data-101", {"status_purpose": "whatever"}), 422)
    assert "status_purpose" in body["errors"]
    _problem(api.get("/credentials/not-a-uuid"), 422)


def test_404_for_unknown_things(api: Api, definition: Any) -> None:
    _problem(api.get("/definitions/nope"), 404)
    _problem(api.post("/definitions/nope/publish"), 404)
    _problem(_issue(api, definition="nope"), 404)
    _problem(api.get("/credentials/00000000-0000-4000-8000-000000000000"), 404)


def test_viewer_reads_but_cannot_write(
    provider: Provider, staff: dict[str, Any], definition: Any, api: Api
) -> None:
    viewer = _api(provider, staff["owner"], role="viewer")
    uuid = _issue(api).json()["uuid"]
    assert viewer.get(f"/credentials/{uuid}").status_code == 200
    assert viewer.get("/definitions").status_code == 200
    _problem(_issue(viewer), 403)
    _problem(viewer.post(f"/credentials/{uuid}/revoke", {"reason": "no"}), 403)
    _problem(viewer.patch("/definitions/data-101", {"name": "X"}), 403)
    _problem(viewer.post("/definitions/data-101/publish"), 403)
    assert IssuedCredential.objects.get().state == "active"


def test_one_provider_cannot_touch_anothers(
    api: Api, acme_api: Api, definition: Any, staff: dict[str, Any]
) -> None:
    uuid = _issue(api).json()["uuid"]
    for response in (
        acme_api.get(f"/credentials/{uuid}"),
        acme_api.post(f"/credentials/{uuid}/revoke", {"reason": "mine now"}),
        acme_api.post(f"/credentials/{uuid}/suspend", {"reason": "mine now"}),
        acme_api.get("/definitions/data-101"),
        acme_api.patch("/definitions/data-101", {"name": "Stolen"}),
        acme_api.post("/definitions/data-101/publish"),
        _issue(acme_api),
    ):
        _problem(response, 404)
    assert acme_api.get("/credentials").json()["count"] == 0
    assert acme_api.get("/definitions").json() == []
    row = IssuedCredential.objects.get()
    assert row.state == "active" and definition.name == "Data Analysis Fundamentals"
    assert services.revoke(actor=staff["owner"], credential=row, reason="ok").state == "revoked"


def test_openapi_lists_every_route(client: Client, db: None) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "microcred provider API"
    routes = {(path, method) for path, item in schema["paths"].items() for method in item}
    assert routes >= {
        ("/api/v1/provider", "get"),
        ("/api/v1/tokens", "get"),
        ("/api/v1/tokens", "post"),
        ("/api/v1/tokens/{prefix}/revoke", "post"),
        ("/api/v1/definitions", "get"),
        ("/api/v1/definitions", "post"),
        ("/api/v1/definitions/{slug}", "get"),
        ("/api/v1/definitions/{slug}", "patch"),
        ("/api/v1/definitions/{slug}/publish", "post"),
        ("/api/v1/credentials", "get"),
        ("/api/v1/credentials", "post"),
        ("/api/v1/credentials/{credential_uuid}", "get"),
        ("/api/v1/credentials/{credential_uuid}/revoke", "post"),
        ("/api/v1/credentials/{credential_uuid}/suspend", "post"),
        ("/api/v1/credentials/{credential_uuid}/unsuspend", "post"),
        ("/api/v1/bulk-jobs/dry-run", "post"),
        ("/api/v1/bulk-jobs", "post"),
        ("/api/v1/bulk-jobs", "get"),
        ("/api/v1/bulk-jobs/{job_id}", "get"),
        ("/api/v1/bulk-jobs/{job_id}/start", "post"),
    }
    schemes = schema["components"]["securitySchemes"]
    assert {"TokenAuth", "StaffSessionAuth"} <= set(schemes)
    assert client.get("/api/v1/docs").status_code == 200


COHORT = b"email,narrative\nana@example.com,Dashboard\nbo@example.com,Report\n"
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_bulk_dry_run_lists_row_errors(api: Api, definition: Any) -> None:
    bad = COHORT + b"not-an-email,x\n"
    report = api.upload("/bulk-jobs/dry-run", "data-101", bad)
    assert report.status_code == 200, report.content
    body = report.json()
    assert body["ok"] is False and body["would_issue"] == 0
    assert [(e["line"], e["column"]) for e in body["errors"]] == [(4, "email")]
    refused = _problem(api.upload("/bulk-jobs", "data-101", bad), 400)
    assert "csv" in refused["errors"] and refused["rows"][0]["line"] == 4
    assert api.get("/bulk-jobs").json() == [] and not IssuedCredential.objects.exists()


@override_settings(TASKS=IMMEDIATE)
def test_bulk_job_is_created_started_and_reports_progress(api: Api, definition: Any) -> None:
    assert api.upload("/bulk-jobs/dry-run", "data-101", COHORT).json()["would_issue"] == 2
    created = api.upload("/bulk-jobs", "data-101", COHORT)
    assert created.status_code == 201, created.content
    job = created.json()
    assert (job["state"], job["total"], job["pending"]) == ("validated", 2, 2)
    assert api.post(f"/bulk-jobs/{job['id']}/start").status_code == 202
    done = api.get(f"/bulk-jobs/{job['id']}").json()
    assert (done["state"], done["issued"], done["pending"]) == ("done", 2, 0)
    assert api.get("/credentials").json()["count"] == 2


def test_bulk_jobs_are_scoped_and_viewers_cannot_upload(
    api: Api, acme_api: Api, definition: Any, provider: Provider, staff: dict[str, Any]
) -> None:
    job_id = api.upload("/bulk-jobs", "data-101", COHORT).json()["id"]
    _problem(acme_api.get(f"/bulk-jobs/{job_id}"), 404)
    _problem(acme_api.post(f"/bulk-jobs/{job_id}/start"), 404)
    _problem(acme_api.upload("/bulk-jobs", "data-101", COHORT), 404)
    viewer = _api(provider, staff["owner"], role="viewer")
    assert viewer.get(f"/bulk-jobs/{job_id}").status_code == 200
    _problem(viewer.upload("/bulk-jobs/dry-run", "data-101", COHORT), 403)
    _problem(api.upload("/bulk-jobs", "data-101", b""), 400)
    assert "file" in _problem(api.post("/bulk-jobs/dry-run", {}), 422)["errors"]
