"""The path planner on hand-built catalogs: what a learner would expect to see."""

from __future__ import annotations

import pytest

from microcred.core.skills.planning import (
    AllOf,
    AtLeastOf,
    CreditsOf,
    NeedAchievement,
    NeedSkill,
    Offering,
    plan_path,
)

SQL, CLEAN, STATS, VIZ = "urn:s:sql", "urn:s:cleaning", "urn:s:stats", "urn:s:viz"
ANALYST = AllOf(
    (
        NeedSkill(SQL, 5, "SQL querying"),
        NeedSkill(CLEAN, 5, "data cleaning"),
        NeedSkill(STATS, 5, "statistics"),
    )
)


def _o(key: str, hours: float, price: float, **kw: object) -> Offering:
    return Offering(key=key, title=key.upper(), hours=hours, price=price, **kw)  # type: ignore[arg-type]


CATALOG = [
    _o("bootcamp", 60, 300, skills={SQL: 5, CLEAN: 5, STATS: 5}),
    _o("sql", 20, 400, skills={SQL: 6}),
    _o("clean", 15, 350, skills={CLEAN: 5}),
    _o("stats", 10, 200, skills={STATS: 5}, prerequisites=("maths",)),
    _o("maths", 5, 50, skills={}),
    _o("sql-intro", 5, 10, skills={SQL: 3}),
]


def _keys(plan: object) -> list[str]:
    return [s.offering.key for s in plan.steps]  # type: ignore[attr-defined]


def test_cheapest_by_hours_differs_from_cheapest_by_price() -> None:
    by_hours = plan_path(ANALYST, CATALOG, held_skills={})
    assert sorted(_keys(by_hours)) == ["clean", "maths", "sql", "stats"]
    assert by_hours.total_hours == 50 and by_hours.method == "exact" and by_hours.optimal
    by_price = plan_path(ANALYST, CATALOG, held_skills={}, cost_by="price")
    assert _keys(by_price) == ["bootcamp"]
    assert by_price.total_price == 300 and by_price.cost_by == "price"


def test_prerequisite_comes_first_and_says_why_it_is_there() -> None:
    plan = plan_path(AllOf((NeedSkill(STATS, 5, "statistics"),)), CATALOG, held_skills={})
    assert _keys(plan) == ["maths", "stats"]
    maths, stats = plan.steps
    assert maths.covers == () and maths.reason == "prerequisite of STATS"
    assert stats.covers == (STATS,) and stats.reason == "covers statistics (level 5)"


def test_order_puts_most_needs_per_hour_first_among_ready_steps() -> None:
    plan = plan_path(ANALYST, CATALOG, held_skills={})
    # clean covers 1 need in 15 h, sql 1 in 20 h, maths none (it only unlocks stats)
    assert _keys(plan) == ["clean", "sql", "maths", "stats"]
    assert [s.covers for s in plan.steps] == [(CLEAN,), (SQL,), (), (STATS,)]


def test_held_skills_at_the_level_asked_are_not_planned_again() -> None:
    plan = plan_path(ANALYST, CATALOG, held_skills={SQL: 5, CLEAN: 6})
    assert _keys(plan) == ["maths", "stats"]
    too_low = plan_path(ANALYST, CATALOG, held_skills={SQL: 4, CLEAN: None, STATS: 5})
    assert sorted(_keys(too_low)) == ["clean", "sql"]  # sql-intro teaches level 3 only


def test_goal_already_met_needs_nothing() -> None:
    plan = plan_path(ANALYST, CATALOG, held_skills={SQL: 7, CLEAN: 5, STATS: 5})
    assert plan.method == "none-needed" and plan.steps == () and plan.optimal
    assert plan.total_hours == 0 and plan.uncovered == ()


def test_a_need_the_catalog_cannot_meet_is_reported_and_the_rest_planned() -> None:
    goal = AllOf((*ANALYST.children, NeedSkill(VIZ, 4, "data visualisation")))
    plan = plan_path(goal, CATALOG, held_skills={SQL: 5, CLEAN: 5})
    assert plan.uncovered == (VIZ,)
    assert _keys(plan) == ["maths", "stats"]
    assert plan.notes == (
        "data visualisation (level 4): no available offering in the catalog covers it",
    )


def test_at_least_of_short_of_options_takes_every_possible_one() -> None:
    goal = AtLeastOf(2, (NeedSkill(VIZ), NeedSkill("urn:s:none"), NeedSkill(STATS, 5)))
    plan = plan_path(goal, CATALOG, held_skills={})
    assert _keys(plan) == ["maths", "stats"]
    assert set(plan.uncovered) == {VIZ, "urn:s:none"}
    assert plan.notes[0].startswith("1 more of a choice of 3 cannot be met")


def test_completed_and_earned_offerings_count_as_done() -> None:
    catalog = [*CATALOG, _o("viz", 8, 80, skills={VIZ: 4}, earns="urn:a:viz", ects=2.0)]
    goal = AllOf((NeedSkill(STATS, 5), NeedAchievement("urn:a:viz"), NeedSkill(VIZ, 4)))
    plan = plan_path(
        goal, catalog, held_skills={}, earned=frozenset({"urn:a:viz"}),
        completed=frozenset({"maths"}),
    )  # fmt: skip
    assert _keys(plan) == ["stats"]  # maths done, viz earned: its skill counts as held


def test_credits_count_done_offerings_and_pick_the_cheapest_rest() -> None:
    catalog = [
        _o("m1", 30, 0, earns="urn:a:1", ects=5.0),
        _o("m2", 10, 0, earns="urn:a:2", ects=2.5),
        _o("m3", 12, 0, earns="urn:a:3", ects=2.5),
        _o("m4", 1, 0, earns="urn:a:4", ects=2.5),  # not in the pool
    ]
    pool = frozenset({"urn:a:1", "urn:a:2", "urn:a:3"})
    plan = plan_path(CreditsOf(7.5, pool), catalog, held_skills={}, earned=frozenset({"urn:a:2"}))
    assert _keys(plan) == ["m1"]  # 2.5 earned + 5: cheaper than m3 alone is not enough
    assert plan.steps[0].reason == "counts 5 ECTS towards 7.5 ECTS"
    short = plan_path(CreditsOf(20, pool), catalog, held_skills={})
    assert short.uncovered == ("20 ECTS",) and short.steps == ()
    assert "at most 10 more qualifying ECTS" in short.notes[0]


def test_missing_or_cyclic_prerequisites_make_an_offering_unavailable() -> None:
    catalog = [
        _o("a", 1, 0, skills={SQL: 5}, prerequisites=("b",)),
        _o("b", 1, 0, skills={}, prerequisites=("a",)),
        _o("c", 1, 0, skills={CLEAN: 5}, prerequisites=("gone",)),
        _o("d", 50, 0, skills={SQL: 5}),
    ]
    plan = plan_path(ANALYST, catalog, held_skills={STATS: 5})
    assert _keys(plan) == ["d"] and plan.uncovered == (CLEAN,)
    done = plan_path(ANALYST, catalog, held_skills={STATS: 5}, completed=frozenset({"gone"}))
    assert sorted(_keys(done)) == ["c", "d"]


def test_ties_in_hours_are_broken_by_price() -> None:
    catalog = [_o("dear", 10, 500, skills={SQL: 5}), _o("cheap", 10, 20, skills={SQL: 5})]
    for order in (catalog, catalog[::-1]):
        assert _keys(plan_path(NeedSkill(SQL, 5), order, held_skills={})) == ["cheap"]


def test_greedy_fallback_is_labelled_and_valid() -> None:
    plan = plan_path(ANALYST, CATALOG, held_skills={}, time_limit=0)
    assert plan.method == "greedy" and not plan.optimal
    assert {c for s in plan.steps for c in s.covers} == {SQL, CLEAN, STATS}
    assert "exact planner was not run" in plan.notes[-1]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (_o("x", -1, 0), "offering 'x': hours must be a number >= 0"),
        (_o("x", 1, float("nan")), "offering 'x': price must be a number >= 0"),
        (_o("sql", 1, 1), "offering 'sql': duplicate key in the catalog"),
    ],
)
def test_bad_catalog_rows_are_named(bad: Offering, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_path(ANALYST, [*CATALOG, bad], held_skills={})
