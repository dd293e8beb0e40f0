"""Employer pages: members only (another employer's staff get a 404), role editing, and the
learner's consent page."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from microcred.credentials.tests.conftest import make_user
from microcred.skills.models import Occupation
from microcred.talent import employers
from microcred.talent.models import Employer, HeldSkill, MatchingConsent, Role
from microcred.talent.tests.conftest import uri

pytestmark = [pytest.mark.django_db, pytest.mark.storage]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_another_employers_staff_see_nothing(
    acme: tuple[Employer, Any], analyst_role: Role
) -> None:
    rival = make_user("rival")
    employers.create_employer(actor=rival, name="Rival Corp")
    client = _client(rival)
    base = f"/employers/{acme[0].slug}/"
    for url in (
        base,
        f"{base}roles/{analyst_role.pk}/",
        f"{base}roles/{analyst_role.pk}/candidates",
    ):
        assert client.get(url).status_code == 404, url
        posted = client.post(url, {"action": "skill", "uri": uri("sql"), "weight": "1"})
        assert posted.status_code in (404, 405), url
    assert analyst_role.skills.count() == 4
    # and their own role id under their own employer is not found either
    own = _client(acme[1])
    assert own.get(f"/employers/rival-corp/roles/{analyst_role.pk}/").status_code == 404
    assert "Acme" not in client.get("/employers/").content.decode()


def test_an_owner_builds_a_role_from_an_occupation_and_marks_must_haves(
    acme: tuple[Employer, Any], occupation: Occupation
) -> None:
    employer, owner = acme
    client = _client(owner)
    found = client.get(f"/employers/{employer.slug}/?q=analyst")
    assert "data analyst" in found.content.decode()
    made = client.post(
        f"/employers/{employer.slug}/",
        {"action": "occupation", "occupation": occupation.uri, "title": "junior data analyst"},
    )
    role = Role.objects.get(employer=employer)
    assert made.status_code == 302 and role.title == "junior data analyst"
    assert list(role.skills.values_list("skill__uri", "must_have", "weight", "min_level")) == [
        (uri("sql"), False, 1.0, 5),
        (uri("data-cleaning"), False, 1.0, 5),
        (uri("statistics"), False, 1.0, 5),
        (uri("python-programming"), False, 0.3, None),
    ]
    url = f"/employers/{employer.slug}/roles/{role.pk}/"
    saved = client.post(
        url,
        {"action": "skill", "uri": uri("sql"), "must_have": "on", "weight": "1", "min_level": "4"},
    )
    assert saved.status_code == 302
    assert role.skills.get(skill__uri=uri("sql")).must_have is True
    bad = client.post(url, {"action": "skill", "uri": uri("sql"), "weight": "2"})
    assert bad.status_code == 400 and "less than or equal to 1" in bad.content.decode()
    unknown = client.post(url, {"action": "skill", "uri": "urn:nope", "weight": "1"})
    assert unknown.status_code == 400 and "no skill has the URI" in unknown.content.decode()
    assert role.skills.count() == 4


def test_the_consent_page_opts_in_and_out(learner: Any) -> None:
    ana = learner("ana")
    client = _client(ana)
    page = client.get("/me/matching")
    assert "Employers cannot find you" in page.content.decode()
    client.post("/me/matching", {"action": "in", "scope": "public", "display_name": "Ana"})
    consent = MatchingConsent.objects.get(owner=ana)
    assert (consent.opted_in, consent.scope, consent.display_name) == (True, "public", "Ana")
    assert "You can be found" in client.get("/me/matching").content.decode()
    client.post("/me/matching", {"action": "out"})
    assert MatchingConsent.objects.get(owner=ana).opted_in is False
    assert not HeldSkill.objects.filter(owner=ana).exists()


def test_esco_data_on_the_employer_pages_carries_the_attribution(
    acme: tuple[Employer, Any],
) -> None:
    Occupation.objects.create(
        scheme="esco", code="x", uri="http://data.europa.eu/esco/occupation/x", label="data analyst"
    )
    page = _client(acme[1]).get(f"/employers/{acme[0].slug}/?q=analyst").content.decode()
    assert "ESCO classification of the European Commission" in page
