"""The "my goal" page: sign-in required, one's own goal only, the choices, the gap and the
plan as a learner sees them, and bad input answered with a message (never a traceback)."""

from __future__ import annotations

import pytest
from django.test import Client

from microcred.talent.goal_models import LearnerGoal
from microcred.talent.tests.goal_world import World, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.storage]
URL = "/me/goal"


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _client(world: World, name: str) -> Client:
    client = Client()
    client.force_login(world.learner(name))
    return client


def test_anonymous_visitors_are_sent_to_sign_in(world: World) -> None:
    for response in (Client().get(URL), Client().post(URL, {"action": "clear"})):
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_learner_chooses_an_occupation_and_sees_gap_and_plan(world: World) -> None:
    world.award("ana", "sql-course")
    ana = _client(world, "ana")
    found = ana.get(URL, {"q": "data analyst"}).content.decode()
    assert "data analyst (test)" in found and 'name="occupation"' in found
    response = ana.post(URL, {"action": "occupation", "occupation": world.occupation.pk})
    assert response.status_code == 302
    page = ana.get(URL).content.decode()
    assert "Skills you lack" in page and "data cleaning" in page and "Nice to have" in page
    assert "SQL course" in page  # the proof of the skill she has
    assert "Analytics bootcamp" in page and "50 hours" in page  # by hours (the default)
    assert "data protection (GDPR)" in page.split("Not covered by any published offering")[1]
    ana.post(URL, {"action": "cost", "cost_by": "price"})
    page = ana.get(URL).content.decode()
    assert "Statistics online" in page and "EUR 260" in page
    assert "Analytics bootcamp" not in page


def test_a_learner_sees_only_her_own_goal(world: World) -> None:
    _client(world, "ana").post(URL, {"action": "occupation", "occupation": world.occupation.pk})
    ben = _client(world, "ben").get(URL).content.decode()
    assert "Your target" not in ben and "Choose a target" in ben
    assert LearnerGoal.objects.get().learner == world.learner("ana")


def test_bad_input_is_a_message_not_an_error_page(world: World) -> None:
    ana = _client(world, "ana")
    for data in (
        {"action": "occupation", "occupation": "nope"},
        {"action": "occupation", "occupation": "999999"},
        {"action": "pathway", "pathway": "goal-uni/none"},
        {"action": "cost", "cost_by": "price"},  # no goal yet
        {"action": "dance"},
    ):
        response = ana.post(URL, data)
        assert response.status_code == 400, data
        assert "Choose a target" in response.content.decode()
    assert not LearnerGoal.objects.exists()


def test_clearing_the_goal(world: World) -> None:
    ana = _client(world, "ana")
    ana.post(URL, {"action": "occupation", "occupation": world.occupation.pk})
    ana.post(URL, {"action": "clear"})
    assert not LearnerGoal.objects.exists()
