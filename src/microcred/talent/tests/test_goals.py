"""A learner's goal through the app: the gap from verified credentials only, and the plan
over the published catalog by hours or by price (hand-built world: goal_world.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from microcred.core.pathways import evaluate
from microcred.credentials import achievements, revocation
from microcred.pathways import earning
from microcred.pathways import selectors as pathway_selectors
from microcred.pathways import services as pathway_services
from microcred.talent import goals
from microcred.talent.goal_plans import GoalPlan, occupation_plan, pathway_plan
from microcred.talent.tests.goal_world import World, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.storage]


@pytest.fixture
def world(db: None) -> World:
    return build_world()


def _plan(world: World, name: str, cost_by: str) -> GoalPlan:
    held = goals.holdings_of(world.learner(name))
    return occupation_plan(goals.occupation_gap(world.occupation, held), held, cost_by)


def _titles(plan: GoalPlan) -> list[str]:
    return [step.offering.slug for step in plan.steps]


def test_the_gap_is_the_occupations_skills_minus_what_the_learner_holds_verified(
    world: World,
) -> None:
    world.award("ana", "sql-course")  # sql at EQF 5
    world.award("ana", "gdpr-intro")  # gdpr only at EQF 3: asked 5
    gap = goals.occupation_gap(world.occupation, goals.holdings_of(world.learner("ana")))
    assert [(i.label, i.level_held) for i in gap.have] == [("SQL querying", 5)]
    assert [i.proofs[0].name for i in gap.have] == ["SQL course"]
    lacking = {i.label: (i.level_asked, i.level_held) for i in gap.lack_essential}
    assert lacking == {
        "data cleaning": (5, None),
        "descriptive statistics": (5, None),
        "data visualisation": (5, None),
        "data protection (GDPR)": (5, 3),
    }
    assert [i.label for i in gap.lack_optional] == ["data storytelling"]


def test_a_revoked_credential_does_not_count_as_held(world: World) -> None:
    credential = world.award("ana", "sql-course")
    revocation.revoke(actor=world.owner, credential=credential, reason="exam fraud")
    gap = goals.occupation_gap(world.occupation, goals.holdings_of(world.learner("ana")))
    assert gap.have == []
    assert "SQL querying" in [i.label for i in gap.lack_essential]
    # and the revoked course is planned again (it is not "completed")
    assert "sql-course" in _titles(_plan(world, "ana", "hours"))


def test_hours_and_price_give_different_plans_with_totals(world: World) -> None:
    world.award("ana", "sql-course")
    by_hours, by_price = _plan(world, "ana", "hours"), _plan(world, "ana", "price")
    assert sorted(_titles(by_hours)) == ["bootcamp", "dataviz"]
    assert (by_hours.total_hours, by_hours.total_price) == (50.0, Decimal(910))
    assert sorted(_titles(by_price)) == [
        "cleaning-online",
        "dataviz",
        "intro-maths",
        "stats-online",
    ]
    assert (by_price.total_hours, by_price.total_price) == (75.0, Decimal(260))
    assert by_hours.method == by_price.method == "exact"
    assert by_price.currency == "EUR"


def test_prerequisites_come_first_and_say_why_they_are_there(world: World) -> None:
    plan = _plan(world, "ana", "price")
    order = _titles(plan)
    assert order.index("intro-maths") < order.index("stats-online")
    maths = plan.steps[order.index("intro-maths")]
    assert maths.covers == [] and "Statistics online" in maths.reason
    stats = plan.steps[order.index("stats-online")]
    assert stats.covers == ["descriptive statistics"]


def test_a_completed_prerequisite_is_not_taken_again(world: World) -> None:
    world.award("ben", "intro-maths")
    assert "intro-maths" not in _titles(_plan(world, "ben", "price"))
    assert "stats-online" in _titles(_plan(world, "ben", "price"))


def test_a_skill_no_offering_teaches_at_the_level_asked_is_reported_uncovered(
    world: World,
) -> None:
    plan = _plan(world, "ana", "hours")
    assert plan.uncovered == ["data protection (GDPR)"]
    assert "gdpr-intro" not in _titles(plan)  # level 3 does not meet 5


def test_nothing_to_plan_when_every_essential_skill_is_held(world: World) -> None:
    for slug in ("sql-course", "bootcamp", "dataviz"):
        world.award("cy", slug)
    world.skills["gdpr"].occupations.update(level=3)
    world.award("cy", "gdpr-intro")
    plan = _plan(world, "cy", "hours")
    assert plan.steps == [] and not plan.needed and plan.uncovered == []


def test_a_pathway_goal_plans_what_is_left_of_it(world: World) -> None:
    sql = achievements.achievement_id(world.definitions["sql-course"])
    cleaning = achievements.achievement_id(world.definitions["cleaning-online"])
    source = (
        "id: analytics\nname: Analytics\nrequirement:\n  type: all\n  children:\n"
        f"    - {{type: achievement, achievementId: '{sql}'}}\n"
        f"    - {{type: achievement, achievementId: '{cleaning}'}}\n"
        "    - {type: skill, skill: 'urn:microcred:demo:skill:statistics'}\n"
    )
    row = pathway_services.save_pathway(actor=world.owner, provider=world.provider, source=source)
    row = pathway_services.publish_pathway(actor=world.owner, pathway=row)
    learner = world.learner("ana")
    world.award("ana", "sql-course")
    now = timezone.now()
    progress = evaluate(pathway_selectors.core_pathway(row), earning.earned_of(learner), now=now)
    plan = pathway_plan(progress, goals.holdings_of(learner), "hours")
    assert plan is not None
    # the achievement leaf needs that very course; statistics: stats-online after its
    # prerequisite (65 h in all) beats the bootcamp (70 h); SQL is already met
    assert sorted(_titles(plan)) == ["cleaning-online", "intro-maths", "stats-online"]
    assert plan.total_hours == 65 and plan.uncovered == []
    order = _titles(plan)
    assert order.index("intro-maths") < order.index("stats-online")
