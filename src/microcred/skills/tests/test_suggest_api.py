"""``POST /api/v1/skills/suggest`` (who may call it is in the platform's access tables)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred.credentials.tests.conftest import make_provider, make_user
from microcred.skills import suggesting
from microcred.skills.models import Skill

pytestmark = pytest.mark.django_db
DEMO = "urn:microcred:demo:skill:"


@pytest.fixture
def client(db: None) -> Client:
    suggesting.forget_indexes()
    owner = make_user("owner")
    make_provider("uni", owner)
    for slug, label in (("sql", "SQL querying"), ("teamwork", "teamwork"), ("gdpr", "GDPR")):
        Skill.objects.create(scheme="custom", code=f"demo:{slug}", uri=DEMO + slug, label=label)
    client = Client(headers={"X-Provider": "uni"})
    client.force_login(owner)
    return client


def _post(client: Client, body: Any) -> Any:
    return client.post("/api/v1/skills/suggest", body, content_type="application/json")


def test_suggestions_come_with_their_alignment(client: Client) -> None:
    response = _post(client, {"text": "Write SQL queries as a team", "k": 2})
    assert response.status_code == 200, response.content
    found = response.json()["suggestions"]
    assert len(found) == 2
    assert found[0]["uri"] == DEMO + "sql" and found[0]["label"] == "SQL querying"
    assert found[0]["framework"] == "demo"
    assert found[0]["alignment"] == {
        "targetName": "SQL querying",
        "targetUrl": DEMO + "sql",
        "targetFramework": "demo",
        "targetType": "ceasn:Competency",
        "targetCode": "demo:sql",
    }
    assert found[0]["score"] >= found[1]["score"]


@pytest.mark.parametrize(
    ("body", "field"),
    [({"text": "", "k": 3}, "text"), ({"text": "SQL", "k": 0}, "k"), ({"k": 3}, "text")],
)
def test_bad_input_is_a_problem_naming_the_field(client: Client, body: Any, field: str) -> None:
    response = _post(client, body)
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert field in response.json()["errors"]


def test_without_a_taxonomy_the_answer_is_empty(client: Client) -> None:
    Skill.objects.all().delete()
    assert _post(client, {"text": "SQL"}).json() == {"suggestions": []}
