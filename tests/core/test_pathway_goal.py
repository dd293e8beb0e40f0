"""A pathway's progress tree becomes the planner's goal: what is met drops out, the rest
maps node for node (All, AtLeast, credit pools, achievements with equivalents, skills)."""

from __future__ import annotations

from microcred.core.pathways import evaluate
from microcred.core.skills.pathway_goal import HOURS_PER_ECTS, remaining_goal
from microcred.core.skills.planning import (
    AllOf,
    AtLeastOf,
    CreditsOf,
    NeedAchievement,
    NeedSkill,
)
from tests.core.test_pathways import NOW, earned, leaf, pathway

SQL = "urn:microcred:demo:skill:sql"


def test_met_leaves_drop_out_and_the_rest_map_node_for_node() -> None:
    tree = {
        "type": "all",
        "children": [
            leaf("a1"),
            leaf("a2", equivalents=["a2b"], title="Two"),
            {"type": "skill", "skill": SQL, "title": "SQL"},
            {"type": "atLeast", "k": 2, "children": [leaf("b1"), leaf("b2"), leaf("b3")]},
        ],
    }
    progress = evaluate(pathway(tree), [earned("c1", "a1"), earned("c2", "b2")], now=NOW)
    goal = remaining_goal(progress.root)
    assert goal == AllOf(
        (
            AtLeastOf(1, (NeedAchievement("a2", label="Two"), NeedAchievement("a2b", label="Two"))),
            NeedSkill(SQL, label="SQL"),
            # one of the three is met: one more of the two others
            AtLeastOf(1, (NeedAchievement("b1", label="b1"), NeedAchievement("b3", label="b3"))),
        )
    )


def test_a_complete_pathway_needs_nothing() -> None:
    progress = evaluate(pathway(leaf("a1")), [earned("c1", "a1")], now=NOW)
    assert remaining_goal(progress.root) is None


def test_credit_pools_ask_for_what_they_lack_in_ects() -> None:
    ects_pool = {"type": "creditsAtLeast", "n": 12, "children": [leaf("x"), leaf("y")]}
    progress = evaluate(pathway(ects_pool), [earned("c1", "x", credits_ects=5.0)], now=NOW)
    assert remaining_goal(progress.root) == CreditsOf(7.0, frozenset({"x", "y"}))

    hours_pool = {"type": "creditsAtLeast", "n": 100, "unit": "hours"}
    progress = evaluate(pathway(hours_pool), [], now=NOW)
    assert remaining_goal(progress.root) == CreditsOf(100 / HOURS_PER_ECTS)


def test_a_pools_skill_leaves_become_the_achievements_that_teach_the_skill() -> None:
    pool = {"type": "creditsAtLeast", "n": 5, "children": [{"type": "skill", "skill": SQL}]}
    progress = evaluate(pathway(pool), [], now=NOW)
    teaching = {SQL: frozenset({"sql-101", "sql-201"})}
    assert remaining_goal(progress.root, teaching) == CreditsOf(5.0, frozenset(teaching[SQL]))
    # nothing teaches it: never "any offering"
    untaught = remaining_goal(progress.root, {})
    assert isinstance(untaught, CreditsOf) and untaught.achievements
    assert not untaught.achievements & {"sql-101", "sql-201"}
