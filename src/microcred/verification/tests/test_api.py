"""``POST /api/v1/verify``: batches as JSON (objects, JWTs, URLs) or multipart files, one
entry per credential; problem+json for bodies it cannot use; limits and the rate budget."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from microcred.platform.tests.access_world import snapshot
from microcred.verification.tests.conftest import document_bytes, signed_elsewhere, zipped

pytestmark = pytest.mark.django_db
URL = "/api/v1/verify"
PROBLEM = "application/problem+json"


def _post(body: Any, client: Client | None = None) -> Any:
    return (client or Client()).post(URL, body, content_type="application/json")


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert (response.status_code, response["Content-Type"]) == (status, PROBLEM), response.content
    found: dict[str, Any] = response.json()
    assert found["status"] == status
    return found


def test_a_batch_gets_one_entry_per_credential(issue: Any, make_issuer: Any) -> None:
    valid, revoked = issue(), issue("bo@example.org", state="revoked")
    make_issuer("Uni University", dids=[valid.document["issuer"]["id"]], vetted_by="NVAO")
    before = snapshot()
    body = {
        "credentials": [
            valid.document,
            revoked.document,
            signed_elsewhere(suite="vc-jwt").decode(),
            json.loads(signed_elsewhere(tampered=True)),
            {"hello": "world"},
        ]
    }
    response = _post(body)
    assert response.status_code == 200, response.content
    found = response.json()
    assert (found["count"], found["verified"]) == (5, 2)
    entries = found["results"]
    assert [e["verdict"] for e in entries] == [
        "valid", "revoked", "valid", "bad-signature", "unusable",
    ]  # fmt: skip
    assert [e["input"] for e in entries] == [f"credentials[{n}]" for n in range(5)]
    first = entries[0]
    assert first["trust"] == {
        "kind": "known",
        "summary": "Known issuer: Uni University, vetted by NVAO (accreditation body).",
        "registry_name": "Uni University",
        "vetted_by": "NVAO",
        "vetting_method": "accreditation",
    }
    assert first["facts"]["achievement"] == "Data Analysis Fundamentals"
    assert first["facts"]["credential_id"] == valid.credential_id
    assert {c["check"] for c in first["checks"]} >= {"structure", "proof", "status"}
    assert entries[2]["trust"]["kind"] == "unknown"
    assert entries[3]["trust"]["kind"] == "unconfirmed"
    assert "revoked" in entries[1]["headline"]
    assert snapshot() == before


def test_multipart_files_and_a_zip(issue: Any) -> None:
    files = {f"c{n}.json": document_bytes(issue(f"l{n}@example.org")) for n in range(2)}
    upload = [
        SimpleUploadedFile("cv.zip", zipped(files), "application/zip"),
        SimpleUploadedFile("x.jwt", signed_elsewhere(suite="vc-jwt"), "text/plain"),
    ]
    response = Client().post(URL, {"files": upload})
    assert response.status_code == 200, response.content
    entries = response.json()["results"]
    assert [e["input"] for e in entries] == [
        "file cv.zip › c0.json",
        "file cv.zip › c1.json",
        "file x.jwt",
    ]
    assert {e["verdict"] for e in entries} == {"valid"}


def test_a_url_in_the_batch(settings: Any, issue: Any) -> None:
    from tests.localserver import serve

    settings.MICROCRED_VERIFY_ALLOW_PRIVATE_NETWORK = True
    route = {"/c": (200, {"Content-Type": "application/json"}, document_bytes(issue()))}
    with serve(route) as base:
        entries = _post({"credentials": [f"{base}/c", "https://10.0.0.1/c"]}).json()["results"]
    assert [e["verdict"] for e in entries] == ["valid", "unusable"]


def test_more_than_the_limit_is_a_413_naming_it(settings: Any) -> None:
    body = {"credentials": ["a.b.c"] * 1001}
    found = _problem(_post(body), 413)
    assert found["detail"] == "1001 credentials: at most 1000 in one request"
    settings.MICROCRED_VERIFY_MAX_BYTES = 1000
    found = _problem(_post({"credentials": ["x" * 2000]}), 413)
    assert "at most 1000 bytes in total" in found["detail"]


def test_bad_bodies_are_problems() -> None:
    found = _problem(Client().post(URL, "{not json", content_type="application/json"), 400)
    assert found["detail"].startswith("the body is not valid JSON at line 1, column 2")
    assert "JSON object" in _problem(_post([1, 2]), 400)["detail"]
    found = _problem(_post({"credentials": ["a.b.c", 42, None]}), 422)
    assert list(found["errors"]) == ["credentials.1", "credentials.2"]
    assert "a JWT or a URL" in found["errors"]["credentials.1"][0]
    assert "credentials" in _problem(_post({}), 422)["errors"]
    assert "nothing to verify" in _problem(_post({"credentials": []}), 400)["detail"]
    wrong = Client().post(URL, "a.b.c", content_type="text/plain")
    assert "application/json" in _problem(wrong, 415)["detail"]


def test_a_presentation_challenge_is_passed_on() -> None:
    """A credential needs no challenge; the option only reaches presentations' checks."""
    jwt = signed_elsewhere(suite="vc-jwt").decode()
    entries = _post({"credentials": [jwt], "challenge": "n-1", "domain": "hr.example"}).json()
    assert entries["results"][0]["verdict"] == "valid"


def test_rate_budget(settings: Any, frozen_rate_clock: float) -> None:
    settings.MICROCRED_VERIFY_RATE_PER_MINUTE = 2
    jwt = signed_elsewhere(suite="vc-jwt").decode()
    assert _post({"credentials": [jwt, jwt]}).status_code == 200
    refused = _post({"credentials": [jwt]})
    found = _problem(refused, 429)
    assert "too many verifications" in found["detail"] and int(refused["Retry-After"]) >= 1


def test_openapi_documents_the_operation() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/verify"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert "credentials" in content["application/json"]["schema"]["properties"]
    assert "200" in operation["responses"]
    assert not operation.get("security")  # public


def test_a_presentation_with_its_challenge(issue: Any) -> None:
    """The holder's proof is checked against the challenge and domain the verifier sends;
    the presentation gets its own entry, then one per credential inside."""
    from microcred.core.crypto.keys import Ed25519KeyPair
    from microcred.core.crypto.presentations import sign_presentation

    holder = Ed25519KeyPair.from_seed(b"\x09" * 32)
    presentation = sign_presentation(
        [issue().document, signed_elsewhere(suite="vc-jwt").decode()],
        holder,
        holder=holder.controller or "",
        challenge="n-1",
        domain="hr.example",
    )
    good = _post({"credentials": [presentation], "challenge": "n-1", "domain": "hr.example"})
    entries = good.json()["results"]
    assert [(e["kind"], e["verdict"]) for e in entries] == [
        ("presentation", "valid"), ("credential", "valid"), ("credential", "valid"),
    ]  # fmt: skip
    assert entries[0]["trust"]["kind"] == "none"
    assert entries[1]["input"] == "credentials[0] › credential 1"
    replayed = _post({"credentials": [presentation], "challenge": "n-2", "domain": "hr.example"})
    first = replayed.json()["results"][0]
    assert (first["kind"], first["verified"]) == ("presentation", False)
    assert "challenge" in {c["check"] for c in first["checks"] if not c["ok"]}
