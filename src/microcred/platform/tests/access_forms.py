"""Valid POST bodies for the access-control tests, one per form (fresh each call, so an
uploaded file can be read again)."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from microcred.platform.tests.access_world import pathway_source


def definition() -> dict[str, Any]:
    return {
        "slug": "made-by-the-test",
        "name": "Made by the test",
        "description": "A definition the access test tries to create.",
        "criteria_narrative": "Passed.",
        "status_purpose": "revocation",
    }


def definition_edit() -> dict[str, Any]:
    return {k: v for k, v in definition().items() if k != "slug"} | {"name": "Renamed"}


def csv_upload() -> dict[str, Any]:
    return {"csv": SimpleUploadedFile("c.csv", b"email\nnew1@example.org\n", "text/csv")}


def paste() -> dict[str, Any]:
    return {"method": "paste", "paste-text": '{"type": "Person"}', "paste-if_failing": "refuse"}


def profile() -> dict[str, Any]:
    return {"is_public": "on", "handle": "learner-a", "display_name": "Learner A"}


def provider() -> dict[str, Any]:
    return {"slug": "made-by-test", "name": "Made", "legal_name": "Made B.V.", "country": "NL"}


def matching() -> dict[str, Any]:
    return {"action": "in", "scope": "all", "display_name": "Learner A"}


def employer() -> dict[str, Any]:
    return {"name": "Made by the test", "slug": "made-by-test"}


def role() -> dict[str, Any]:
    return {"action": "scratch", "title": "A role the test makes"}


def role_skill() -> dict[str, Any]:
    return {"action": "skill", "uri": "urn:microcred:demo:skill:sql", "weight": "1"}


def verify() -> dict[str, Any]:
    return {"pasted": "not.a.credential"}


def offering() -> dict[str, Any]:
    return {"slug": "made-offering", "title": "Made by the test", "hours": "10", "price": "0",
            "currency": "EUR", "mode": "online", "language": "en", "action": "save"}  # fmt: skip


def offering_edit() -> dict[str, Any]:
    return {"title": "Renamed", "hours": "12", "price": "5", "currency": "EUR",
            "mode": "online", "language": "en", "action": "save"}  # fmt: skip


def pathway() -> dict[str, Any]:
    return {"source": pathway_source("alpha-path-2"), "action": "save"}


def goal() -> dict[str, Any]:
    return {"action": "cost", "cost_by": "price"}
