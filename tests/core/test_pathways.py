"""The pathway engine, one rule at a time: leaves, All, AtLeast, credit pools, standing rules."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from microcred.core.pathways import Earned, Pathway, evaluate, parse_pathway

NOW = datetime(2026, 6, 15, 12, tzinfo=UTC)


def earned(cid: str, aid: str, **changes: Any) -> Earned:
    values: dict[str, Any] = {
        "credential_id": cid,
        "achievement_id": aid,
        "issuer_id": "https://uni.example/issuer",
        "skills": frozenset(),
        "credits_ects": 5.0,
        "hours": None,
        "result": None,
        "issued": datetime(2026, 1, 10, tzinfo=UTC),
        "standing": "valid",
        "imported": False,
    }
    values.update(changes)
    return Earned(**values)


def pathway(requirement: dict[str, Any], **extra: Any) -> Pathway:
    return parse_pathway({"id": "p", "name": "P", "requirement": requirement, **extra})


def leaf(aid: str, **extra: Any) -> dict[str, Any]:
    return {"type": "achievement", "achievementId": aid, **extra}


def test_all_needs_every_child_and_reports_what_is_missing() -> None:
    p = pathway({"type": "all", "children": [leaf("sql"), leaf("py"), leaf("stats")]})
    progress = evaluate(p, [earned("c1", "sql"), earned("c2", "py")], now=NOW)
    assert not progress.complete
    assert progress.fraction == pytest.approx(2 / 3)
    missing = [child for child in progress.root.children if not child.met]
    assert [child.path for child in missing] == ["requirement.children[2]"]
    assert missing[0].missing == "a credential for stats"
    assert progress.root.missing == "1 of 3 parts still missing"
    assert [e.credential_id for e in progress.used] == ["c1", "c2"]
    done = evaluate(p, [earned("c1", "sql"), earned("c2", "py"), earned("c3", "stats")], now=NOW)
    assert done.complete and done.fraction == 1.0 and done.next_steps == []


def test_at_least_k_counts_the_best_children() -> None:
    p = pathway({"type": "atLeast", "k": 2, "children": [leaf("a"), leaf("b"), leaf("c")]})
    assert evaluate(p, [earned("1", "b")], now=NOW).fraction == 0.5
    both = evaluate(p, [earned("1", "b"), earned("2", "c")], now=NOW)
    assert both.complete and {e.credential_id for e in both.used} == {"1", "2"}


def test_equivalents_fill_the_leaf_once() -> None:
    p = pathway({"type": "all", "children": [leaf("sql-basics", equivalents=["b:intro-sql"])]})
    progress = evaluate(p, [earned("x", "b:intro-sql")], now=NOW)
    assert progress.complete and progress.root.children[0].used == ("x",)


def test_skill_leaf_matches_case_insensitively_and_uris_exactly() -> None:
    p = pathway(
        {
            "type": "all",
            "children": [
                {"type": "skill", "skill": "Data Analysis"},
                {"type": "skill", "skill": "http://data.europa.eu/esco/skill/S1"},
            ],
        }
    )
    first = earned("1", "x", skills=frozenset({"  data   analysis"}))
    wrong_case_uri = earned("2", "y", skills=frozenset({"HTTP://DATA.EUROPA.EU/esco/skill/S1"}))
    assert evaluate(p, [first, wrong_case_uri], now=NOW).fraction == 0.5
    uri = earned("3", "z", skills=frozenset({"http://data.europa.eu/esco/skill/S1"}))
    assert evaluate(p, [first, uri], now=NOW).complete


def test_a_credential_is_used_once_even_when_it_fits_two_leaves() -> None:
    # One "sql" credential fits both leaves; the search puts the other credential where only
    # it fits, so both are met, whatever the arrival order.
    p = pathway({"type": "all", "children": [leaf("sql", equivalents=["db"]), leaf("db")]})
    for order in ([earned("1", "db"), earned("2", "sql")], [earned("2", "sql"), earned("1", "db")]):
        progress = evaluate(p, order, now=NOW)
        assert progress.complete
        assert [c.used for c in progress.root.children] == [("2",), ("1",)]
    alone = evaluate(p, [earned("1", "db")], now=NOW)
    assert alone.fraction == 0.5 and len(alone.used) == 1


def test_credits_pool_sums_and_uses_only_what_it_needs() -> None:
    p = pathway(
        {
            "type": "creditsAtLeast",
            "n": 10,
            "unit": "ECTS",
            "children": [leaf("e1"), leaf("e2"), leaf("e3")],
        }
    )
    small = evaluate(p, [earned("1", "e1", credits_ects=4)], now=NOW)
    assert small.fraction == pytest.approx(0.4) and small.root.missing == "6 more ECTS"
    full = evaluate(
        p,
        [earned("1", "e1", credits_ects=4), earned("2", "e2", credits_ects=6),
         earned("3", "e3", credits_ects=8)],
        now=NOW,
    )  # fmt: skip
    assert full.complete
    assert set(full.root.used) == {"3", "2"}  # largest first: 8 + 6 >= 10, 4 not needed
    assert full.root.credits == 14


def test_credits_pool_in_hours_and_without_children_takes_unused_credentials() -> None:
    p = pathway(
        {
            "type": "all",
            "children": [leaf("core"), {"type": "creditsAtLeast", "n": 50, "unit": "hours"}],
        }
    )
    core = earned("1", "core", hours=40)
    elective = earned("2", "anything", hours=30, credits_ects=None)
    progress = evaluate(p, [core, elective], now=NOW)
    assert progress.fraction == pytest.approx((1 + 30 / 50) / 2)  # core's hours are used by core
    assert evaluate(p, [core, elective, earned("3", "other", hours=20)], now=NOW).complete


@pytest.mark.parametrize("standing", ["expired", "suspended", "revoked", "unverified"])
def test_only_valid_credentials_count(standing: str) -> None:
    p = pathway(leaf("a"))
    assert not evaluate(p, [earned("1", "a", standing=standing)], now=NOW).complete
    assert evaluate(p, [earned("1", "a")], now=NOW).complete


def test_imported_credentials_need_an_accepted_issuer() -> None:
    p = pathway(leaf("a"), acceptedIssuers=["did:web:partner.example"])
    other = earned("1", "a", imported=True, issuer_id="did:web:stranger.example")
    partner = earned("2", "a", imported=True, issuer_id="did:web:partner.example")
    own = earned("3", "a", imported=False, issuer_id="https://us.example")
    assert not evaluate(p, [other], now=NOW).complete
    assert evaluate(p, [partner], now=NOW).complete
    assert evaluate(p, [own], now=NOW).complete  # issued here: the issuer list is for imports
    anyone = pathway(leaf("a"))
    assert evaluate(anyone, [other], now=NOW).complete


def test_minimum_result_and_maximum_age() -> None:
    p = pathway(leaf("a", minResult="B", maxAgeMonths=12))
    assert evaluate(p, [earned("1", "a", result="A-")], now=NOW).complete
    assert not evaluate(p, [earned("1", "a", result="C+")], now=NOW).complete
    assert not evaluate(p, [earned("1", "a", result=None)], now=NOW).complete
    old = earned("1", "a", result="A", issued=datetime(2025, 6, 14, tzinfo=UTC))
    assert not evaluate(p, [old], now=NOW).complete
    recent = earned("1", "a", result="A", issued=datetime(2025, 6, 15, 12, tzinfo=UTC))
    assert evaluate(p, [recent], now=NOW).complete


def test_no_relevant_credentials_is_zero_progress_with_every_step_next() -> None:
    p = pathway({"type": "all", "children": [leaf("a"), leaf("b")]})
    progress = evaluate(p, [earned("1", "unrelated")], now=NOW)
    assert progress.fraction == 0 and not progress.used
    assert [step.achievement_ids for step in progress.next_steps] == [("a",), ("b",)]
