"""The demo: Acme Analytics' "junior data analyst" lists only the learners who opted in."""

from __future__ import annotations

import pytest
from django.test import Client

from microcred.platform.seed import DEMO_PASSWORD, seed
from microcred.talent import demo, selectors
from microcred.talent.models import HeldSkill, MatchingConsent, Role

pytestmark = [pytest.mark.django_db, pytest.mark.storage]


def test_the_demo_role_ranks_consenting_learners_only_and_seeding_is_idempotent() -> None:
    seed()
    seed()
    role = Role.objects.get(employer__slug=demo.EMPLOYER_SLUG, title=demo.ROLE_TITLE)
    musts = set(role.skills.filter(must_have=True).values_list("skill__uri", flat=True))
    assert musts == set(demo.MUST_HAVES)
    assert role.occupation is not None and role.skills.count() >= 5
    consenting = set(
        MatchingConsent.objects.filter(opted_in=True).values_list("owner__email", flat=True)
    )
    assert consenting == {f"{name}@example.com" for name, *_ in demo.CONSENTING}
    indexed = set(HeldSkill.objects.values_list("owner__email", flat=True))
    assert indexed <= consenting and indexed
    found = selectors.candidates(role)
    assert found, "the demo role lists consenting learners"
    assert {c.match.candidate.display_name for c in found} <= {"Ana A.", "Bo B."} | {
        f"Candidate {n}" for n in range(1, 4)
    }
    client = Client()
    assert client.login(username=demo.EMPLOYER_EMAIL, password=DEMO_PASSWORD)
    page = client.get(f"/employers/{demo.EMPLOYER_SLUG}/roles/{role.pk}/candidates")
    text = page.content.decode()
    assert page.status_code == 200 and "Dara" not in text and "dara" not in text
