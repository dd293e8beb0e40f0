"""Issue 5's "done when", on the demo data: Bo holds three of the four credentials of
Utrecht's Data Analytics micro-degree and sees exactly what is missing; issuing the fourth
awards the micro-degree automatically (to his verified address, citing each component);
revoking a component suspends it (the pathway's policy)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django_tasks_db.models import DBTaskResult

from microcred.credentials import services as credentials
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.pathways.evaluation import evaluate_learner
from microcred.pathways.models import PathwayAward, PathwayProgress
from microcred.platform.seed import seed

pytestmark = [pytest.mark.django_db, pytest.mark.storage]
BO, ANA = "bo.borealis@example.com", "ana.andromeda@example.com"


def _user(email: str) -> Any:
    return get_user_model().objects.get(email=email)


def _client(email: str) -> Client:
    client = Client()
    client.force_login(_user(email))
    return client


def _issue_sql_to_bo(owner: Any) -> IssuedCredential:
    sql = MicroCredentialDefinition.objects.get(provider__slug="utrecht-uas", slug="sql-basics")
    return credentials.issue_credential(actor=owner, definition=sql, recipient_email=BO)


def test_three_of_four_then_the_fourth_awards_then_a_revocation_suspends(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    bo = _user(BO)
    # Ana holds all four: she was awarded when the pathway was published.
    assert PathwayAward.objects.filter(learner=_user(ANA)).count() == 1
    progress = PathwayProgress.objects.get(learner=bo, pathway__slug="data-analytics")
    assert (progress.complete, progress.fraction) == (False, 0.75)
    page = _client(BO).get("/pathways/utrecht-uas/data-analytics").content.decode()
    assert page.count("Missing:") == 1
    assert "Missing: a credential for SQL Basics" in page
    for done in ("Data Visualisation", "Python for Analysts", "Research Data Ethics"):
        assert done in page
    assert "75% done" in page
    assert not PathwayAward.objects.filter(learner=bo).exists()

    owner = _user("owner@utrecht-uas.demo.microcred.test")
    with django_capture_on_commit_callbacks(execute=True):
        fourth = _issue_sql_to_bo(owner)
    award = PathwayAward.objects.get(learner=bo)
    stacked = award.credential
    assert stacked.recipient_email == BO and stacked.definition.slug == "data-analytics"
    emails = DBTaskResult.objects.filter(task_path__endswith="send_invitation")
    assert [stacked.pk] in [job.args_kwargs["args"] for job in emails]  # the claim email
    evidence = stacked.document["evidence"]
    assert len(evidence) == 4 and fourth.credential_id in award.components
    cited = {item["narrative"].rsplit(": ", 1)[-1] for item in evidence}
    assert cited == set(award.components)
    assert all(item["description"].startswith("digest sha256:") for item in evidence)
    page = _client(BO).get("/pathways/utrecht-uas/data-analytics").content.decode()
    assert "You were awarded" in page and "Missing:" not in page

    # Evaluating again (a full re-evaluation) awards nothing more.
    evaluate_learner(bo)
    assert PathwayAward.objects.filter(learner=bo).count() == 1

    component = IssuedCredential.objects.get(credential_id=award.components[0])
    with django_capture_on_commit_callbacks(execute=True):
        credentials.revoke(actor=owner, credential=component, reason="Exam fraud")
    award.refresh_from_db()
    stacked.refresh_from_db()
    assert award.state == "suspended" and stacked.state == "suspended"
    name = component.definition.name
    assert name in award.note and name in stacked.reason
    page = _client(BO).get("/pathways/utrecht-uas/data-analytics").content.decode()
    assert "Suspended: a component was revoked" in page and name in page


def test_a_published_pathway_is_served_in_ctdl_for_registries() -> None:
    seed()
    response = Client().get("/pathways/utrecht-uas/data-analytics/ctdl.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/ld+json"
    document = response.json()
    assert document["@type"] == "ceterms:MicroCredential"
    text = str(document["ceterms:requires"])
    assert all(name in text for name in ("SQL Basics", "Research Data Ethics")), text
    page = _client(BO).get("/pathways/utrecht-uas/data-analytics").content.decode()
    assert 'href="/pathways/utrecht-uas/data-analytics/ctdl.json"' in page
    assert Client().get("/pathways/utrecht-uas/nothing-here/ctdl.json").status_code == 404


def test_the_learners_clr_says_the_components_are_parts_of_the_micro_degree(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from microcred.portability.services import export_clr

    with django_capture_on_commit_callbacks(execute=True):
        seed()
    award = PathwayAward.objects.get(learner=_user(ANA))
    degree = award.credential.document["credentialSubject"]["achievement"]["id"]
    subject = export_clr(_user(ANA)).document["credentialSubject"]
    parts = {a["sourceId"] for a in subject["association"] if a["targetId"] == degree}
    components = IssuedCredential.objects.filter(credential_id__in=award.components)
    assert parts == {c.document["credentialSubject"]["achievement"]["id"] for c in components}
    assert {a["associationType"] for a in subject["association"]} == {"isPartOf"}


def test_an_expired_component_is_noticed_by_the_scheduled_refresh(
    django_capture_on_commit_callbacks: Any,
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from microcred.pathways.jobs import refresh_expired

    with django_capture_on_commit_callbacks(execute=True):
        seed()
    owner = _user("owner@utrecht-uas.demo.microcred.test")
    sql = MicroCredentialDefinition.objects.get(provider__slug="utrecht-uas", slug="sql-basics")
    soon = timezone.now() + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        credentials.issue_credential(actor=owner, definition=sql, recipient_email=BO,
                                     valid_until=soon)  # fmt: skip
    bo = _user(BO)
    award = PathwayAward.objects.get(learner=bo)
    assert refresh_expired() == 0  # nothing has expired yet
    later = soon + timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert refresh_expired(now=later) == 1
    progress = PathwayProgress.objects.get(learner=bo, pathway__slug="data-analytics")
    award.refresh_from_db()
    assert (progress.complete, progress.fraction) == (False, 0.75)
    assert award.state == "suspended" and "SQL Basics" in award.note  # the pathway's policy
    assert refresh_expired(now=later) == 0  # already re-evaluated after that expiry
