"""The demo catalog: idempotent, aligned, and shaped so that "data analyst" has a real
choice for ana.andromeda (cheapest in hours and cheapest in price are different plans)."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

import pytest

from microcred.core.skills import planning
from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition
from microcred.platform.seed import seed
from microcred.skills.models import OccupationSkill, Offering

pytestmark = pytest.mark.storage
DEMO = "urn:microcred:demo:skill:"


def _held_by(email: str) -> dict[str, int]:
    """Skill URI -> EQF level proven by the learner's active credentials (their documents)."""
    held: dict[str, int] = {}
    for row in IssuedCredential.objects.filter(recipient_email=email, state="active"):
        achievement = row.document["credentialSubject"]["achievement"]
        level = int(str(achievement.get("eqfLevel", "0")).rstrip("/").rsplit("/", 1)[-1] or 0)
        for alignment in achievement.get("alignment") or []:
            held[alignment["targetUrl"]] = max(level, held.get(alignment["targetUrl"], 0))
    return held


def _cheapest(gap: set[str], by: str) -> tuple[Decimal, set[str]]:
    rows = list(Offering.objects.filter(is_published=True).prefetch_related("skills__skill"))
    teaches = {o.slug: {s.skill.uri for s in o.skills.all()} for o in rows}
    useful = [o for o in rows if teaches[o.slug] & gap]
    best: tuple[Decimal, set[str]] | None = None
    for size in range(1, 4):
        for chosen in combinations(useful, size):
            if gap <= set().union(*(teaches[o.slug] for o in chosen)):
                cost = sum((getattr(o, by) for o in chosen), Decimal(0))
                if best is None or cost < best[0]:
                    best = (cost, {o.slug for o in chosen})
    assert best is not None
    return best


def _planner(row: Offering) -> planning.Offering:
    return planning.Offering(
        key=f"{row.provider.slug}/{row.slug}",
        title=row.title,
        hours=float(row.hours),
        price=float(row.price),
        skills={s.skill.uri: s.level for s in row.skills.all()},
        prerequisites=tuple(f"{p.provider.slug}/{p.slug}" for p in row.prerequisites.all()),
    )


@pytest.mark.django_db
def test_the_demo_catalog_gives_ana_a_gap_and_two_different_plans() -> None:
    seed()
    published = Offering.objects.filter(is_published=True)
    counts = (published.count(), Offering.objects.count())
    assert counts == (16, 16)
    # Every demo micro-credential is aligned, and every offering teaches what it earns.
    for definition in MicroCredentialDefinition.objects.filter(status="published"):
        if definition.slug != "data-analytics":
            assert definition.alignments, definition.slug
    assert all(o.skills.exists() and o.definition is not None for o in published)
    assert published.filter(prerequisites__isnull=False).distinct().count() >= 4
    essential = {
        row.skill.uri: row.level or 0
        for row in OccupationSkill.objects.filter(
            occupation__uri="urn:microcred:demo:occupation:data-analyst", relation="essential"
        ).select_related("skill")
    }
    held = _held_by("ana.andromeda@example.com")
    gap = {uri for uri, level in essential.items() if held.get(uri, 0) < level}
    assert gap == {DEMO + "data-cleaning", DEMO + "statistics", DEMO + "spreadsheets"}
    hours, by_hours = _cheapest(gap, "hours")
    price, by_price = _cheapest(gap, "price")
    assert by_hours != by_price
    assert (hours, by_hours) == (
        Decimal(56),
        {"spreadsheet-modelling", "data-cleaning-in-practice"},
    )
    assert (price, by_price) == (
        Decimal(270),
        {"spreadsheet-modelling", "data-wrangling-spreadsheets"},
    )
    # The real planner agrees on the demo catalog.
    goal = planning.AllOf(tuple(planning.NeedSkill(uri, level) for uri, level in essential.items()))
    offerings = [
        _planner(row) for row in published.prefetch_related("skills__skill", "prerequisites")
    ]
    ways: list[tuple[planning.CostBy, set[str]]] = [("hours", by_hours), ("price", by_price)]
    for by, expected in ways:
        plan = planning.plan_path(goal, offerings, held_skills=dict(held), cost_by=by)
        assert {step.offering.key.split("/")[1] for step in plan.steps} == expected, by
        assert plan.optimal and not plan.uncovered
    seed()  # again: nothing new
    assert (published.count(), Offering.objects.count()) == counts
