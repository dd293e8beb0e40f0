"""The definition editor suggests skills from the learning outcomes; ticked ones become
OB alignments (targetUrl = skill URI, targetFramework) that end in issued credentials."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from microcred.credentials import services
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.credentials.tests.conftest import make_provider, make_user
from microcred.skills import suggesting
from microcred.skills.models import Skill

pytestmark = pytest.mark.django_db
DEMO = "urn:microcred:demo:skill:"
ESCO_SQL = "http://data.europa.eu/esco/skill/598de5b0-5b58-4ea7-8058-a4bc4d18c742"
OUTCOMES = "Write SQL queries that join tables\nBuild dashboards and charts for managers"


@pytest.fixture
def owner(db: None) -> Any:
    suggesting.forget_indexes()
    user = make_user("owner")
    make_provider("uni", user)
    for slug, label, alts in (
        ("sql", "SQL querying", ["SQL", "database queries"]),
        ("data-visualisation", "data visualisation", ["charts", "dashboards"]),
        ("teamwork", "teamwork", ["work in teams"]),
        ("solar-pv", "solar PV design", ["photovoltaic systems"]),
    ):
        Skill.objects.create(
            scheme="custom", code=f"demo:{slug}", uri=DEMO + slug, label=label, alt_labels=alts
        )
    Skill.objects.create(scheme="esco", code="598de5b0", uri=ESCO_SQL, label="SQL")
    return user


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(**extra: Any) -> dict[str, Any]:
    return {
        "slug": "sql-101",
        "name": "SQL for analysts",
        "description": "Query relational data.",
        "learning_outcomes": OUTCOMES,
        "skills": "",
        "status_purpose": "revocation",
        **extra,
    }


def test_suggest_shows_skills_per_outcome_and_saves_nothing(owner: Any) -> None:
    url = reverse("credentials:definition-new", args=["uni"])
    response = _client(owner).post(url, _form(suggest="1", name=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert not Definition.objects.exists()
    assert "Please correct" not in page  # asking for suggestions is not a failed save
    assert "<legend>Write SQL queries that join tables</legend>" in page
    groups = response.context["suggestions"]
    assert [outcome for outcome, _ in groups] == OUTCOMES.splitlines()
    assert groups[0][1][0].uri in (DEMO + "sql", ESCO_SQL)
    assert groups[1][1][0].uri == DEMO + "data-visualisation"
    assert all(len(found) <= 5 for _, found in groups)
    # far weaker than the outcome's best: not offered
    assert {DEMO + "solar-pv", DEMO + "teamwork"}.isdisjoint(s.uri for s in groups[0][1])
    assert f'value="{DEMO}sql"' in page and 'name="add_skill"' in page
    assert "ESCO classification" in page  # an ESCO skill is shown: its credit line too
    assert 'value="sql-101"' in page  # what was typed stays


def test_ticked_suggestions_become_alignments_in_the_issued_credential(owner: Any) -> None:
    client = _client(owner)
    url = reverse("credentials:definition-new", args=["uni"])
    typed = "Own skill | https://example.org/skills/own"
    response = client.post(url, _form(skills=typed, add_skill=[DEMO + "sql", ESCO_SQL]))
    assert response.status_code == 302, response.content[:500]
    definition = Definition.objects.get(slug="sql-101")
    assert definition.alignments == [
        {"targetName": "Own skill", "targetUrl": "https://example.org/skills/own"},
        {
            "targetName": "SQL querying",
            "targetUrl": DEMO + "sql",
            "targetFramework": "demo",
            "targetType": "ceasn:Competency",
            "targetCode": "demo:sql",
        },
        {
            "targetName": "SQL",
            "targetUrl": ESCO_SQL,
            "targetFramework": "ESCO",
            "targetType": "ceasn:Competency",
            "targetCode": "598de5b0",
        },
    ]
    # Editing again keeps them: the skills box shows the URN and it validates.
    edit = reverse("credentials:definition-edit", args=["uni", "sql-101"])
    page = client.get(edit).content.decode()
    assert f"SQL querying | {DEMO}sql | demo" in page
    published = services.publish(actor=owner, definition=definition)
    issued = services.issue_credential(
        actor=owner, definition=published, recipient_email="ana@example.org"
    )
    alignment = issued.document["credentialSubject"]["achievement"]["alignment"]
    by_url = {item["targetUrl"]: item for item in alignment}
    assert by_url[DEMO + "sql"]["targetFramework"] == "demo"
    assert by_url[ESCO_SQL] | {"type": ["Alignment"]} == by_url[ESCO_SQL]
    assert by_url[ESCO_SQL]["targetFramework"] == "ESCO"
    assert by_url[ESCO_SQL]["targetType"] == "ceasn:Competency"


def test_editing_with_a_urn_skill_line_saves(owner: Any) -> None:
    client = _client(owner)
    client.post(reverse("credentials:definition-new", args=["uni"]), _form())
    edit = reverse("credentials:definition-edit", args=["uni", "sql-101"])
    data = _form(skills=f"SQL querying | {DEMO}sql | demo")
    del data["slug"]
    assert client.post(edit, data).status_code == 302
    saved = Definition.objects.filter(slug="sql-101").latest("version")
    assert saved.alignments[0]["targetCode"] == "demo:sql"  # known skill: completed


def test_a_failed_save_keeps_the_ticked_suggestions(owner: Any) -> None:
    url = reverse("credentials:definition-new", args=["uni"])
    response = _client(owner).post(url, _form(name="", add_skill=[DEMO + "sql"]))
    assert response.status_code == 200 and not Definition.objects.exists()
    assert response.context["chosen"] == {DEMO + "sql"}
    assert f'value="{DEMO}sql" id="add-skill-1-' in response.content.decode()
    assert "checked" in response.content.decode()


def test_no_outcomes_asks_for_them(owner: Any) -> None:
    url = reverse("credentials:definition-new", args=["uni"])
    response = _client(owner).post(url, _form(suggest="1", learning_outcomes=""))
    assert "Write the learning outcomes first" in response.content.decode()
