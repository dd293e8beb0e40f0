"""Pathway files: parse errors name the place, validation finds rules that can never hold,
next steps come cheapest first, grades compare sensibly, mentions drive re-evaluation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microcred.core.errors import InputError
from microcred.core.pathways import (
    MentionIndex,
    evaluate,
    evaluate_learner,
    meets_minimum,
    mentions,
    parse_pathway,
    validate_pathway,
)
from microcred.core.pathways.grades import months_before
from tests.core.test_pathways import NOW, earned, leaf, pathway

YAML = """
id: https://uni.example/pathways/data-analyst
name: Data Analyst micro-degree
revocationPolicy: suspend
acceptedIssuers: [did:web:partner.example]
requirement:
  type: all
  children:
    - {type: achievement, achievementId: sql-basics, equivalents: [partner:intro-sql]}
    - type: atLeast
      k: 1
      children:
        - {type: achievement, achievementId: python, minResult: B}
        - {type: skill, skill: "http://data.europa.eu/esco/skill/R"}
    - {type: creditsAtLeast, n: 10, unit: ECTS}
"""


def test_yaml_and_json_read_the_same_pathway() -> None:
    from_yaml = parse_pathway(YAML)
    assert from_yaml.revocation_policy == "suspend"
    assert from_yaml.accepted_issuers == ("did:web:partner.example",)
    assert parse_pathway(from_yaml.model_dump_json()) == from_yaml
    assert parse_pathway(from_yaml.to_json()) == from_yaml


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        (YAML.replace("k: 1", "k: one"), "requirement.children[1].k", "valid integer"),
        (YAML.replace("type: skill", "type: skil"), "requirement.children[1].children[1]",
         "does not match"),
        (YAML.replace("minResult: B", "minResutl: B"),
         "requirement.children[1].children[0].minResutl", "extra inputs"),
        (YAML.replace("n: 10", "n: -3"), "requirement.children[2].n", "greater than 0"),
        (YAML.replace("revocationPolicy: suspend", "revocationPolicy: burn"),
         "revocationPolicy", "keep"),
        ("id: x\nname: y\n", "requirement", "field required"),
        ("id: x\nname: [unclosed\n", "line 3, column 1", "not valid yaml"),
        ("- just\n- a list\n", "document", "must be a mapping"),
    ],
)  # fmt: skip
def test_parse_errors_name_the_place(text: str, where: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_pathway(text)
    assert caught.value.where == where
    assert words in caught.value.message.lower()


def test_validation_finds_impossible_rules_unknown_ids_and_duplicates() -> None:
    p = pathway(
        {
            "type": "all",
            "children": [
                {"type": "atLeast", "k": 3, "children": [leaf("a"), leaf("b")], "id": "x"},
                {"type": "atLeast", "k": 0, "children": [leaf("a")], "id": "x"},
                leaf("ghost", equivalents=["a"]),
                {"type": "creditsAtLeast", "n": 20, "children": [leaf("a"), leaf("b")]},
                leaf("b", minResult="excellent-ish"),
            ],
        }
    )
    problems = validate_pathway(
        p, known_achievements={"a", "b"}, achievement_credits={"a": {"ECTS": 5}, "b": {"ECTS": 10}}
    )
    found = {(problem.where, problem.message) for problem in problems}
    assert found == {
        ("requirement.children[0].k", "at least 3 of 2 children can never be met"),
        ("requirement.children[1].k", "k must be at least 1, not 0"),
        ("requirement.children[1]", "id 'x' is also used at requirement.children[0]"),
        ("requirement.children[2].achievementId", "unknown achievement 'ghost'"),
        ("requirement.children[3].n",
         "20 ECTS can never be reached: the credentials that count are worth at most 15 ECTS"),
        ("requirement.children[4].minResult",
         "minimum result 'excellent-ish' is not a number, a letter grade or pass/merit/"
         "distinction: only that exact text will meet it"),
    }  # fmt: skip


def test_a_sound_pathway_has_no_problems() -> None:
    p = parse_pathway(YAML)
    known = {"sql-basics", "partner:intro-sql", "python"}
    assert validate_pathway(p, known_achievements=known) == []
    assert validate_pathway(p) == []  # nothing known: ids are not checked


def test_next_steps_come_cheapest_first() -> None:
    # With nothing held the second branch is cheaper (two credentials against three); once
    # two of the first are held, its last credential leads. Steps off the cheapest plan follow.
    p = pathway(
        {
            "type": "atLeast",
            "k": 1,
            "children": [
                {"type": "all", "children": [leaf("x1"), leaf("x2"), leaf("x3")]},
                {"type": "all", "children": [leaf("y1"), leaf("y2")]},
            ],
        }
    )
    steps = evaluate(p, [], now=NOW).next_steps
    assert [(s.achievement_ids, s.in_cheapest_plan) for s in steps] == [
        (("y1",), True), (("y2",), True), (("x1",), False), (("x2",), False), (("x3",), False),
    ]  # fmt: skip
    steps = evaluate(p, [earned("1", "x1"), earned("2", "x2")], now=NOW).next_steps
    assert [(s.achievement_ids, s.in_cheapest_plan) for s in steps] == [
        (("x3",), True), (("y1",), False), (("y2",), False),
    ]  # fmt: skip


def test_next_steps_name_credits_still_needed() -> None:
    p = pathway({"type": "creditsAtLeast", "n": 10, "children": [leaf("e1"), leaf("e2")]})
    [step] = evaluate(p, [earned("1", "e1", credits_ects=4)], now=NOW).next_steps
    assert (step.credits, step.unit) == (6, "ECTS")
    assert step.text == "6 more ECTS from: a credential for e1; a credential for e2"


@pytest.mark.parametrize(
    ("result", "minimum", "meets"),
    [
        ("85", "70", True), ("65%", "70", False), ("3,5", "3.0", True),
        ("A", "B", True), ("B-", "B", False), ("B+", "B", True), ("E", "FX", True),
        ("F", "E", False), ("merit", "pass", True), ("Fail", "pass", False),
        ("PASS", "pass", True), ("B", "70", False), ("Completed", "completed", True),
        (None, "pass", False), (None, None, True),
    ],
)  # fmt: skip
def test_results_compare_on_their_scale(
    result: str | None, minimum: str | None, meets: bool
) -> None:
    assert meets_minimum(result, minimum) is meets


def test_months_are_calendar_months() -> None:
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2024, 3, 31, tzinfo=UTC), 1) == datetime(2024, 2, 29, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(
        2024, 12, 15, tzinfo=UTC
    )


def test_mentions_list_achievements_equivalents_and_skills() -> None:
    p = parse_pathway(YAML)
    found = mentions(p)
    assert found.achievement_ids == {"sql-basics", "partner:intro-sql", "python"}
    assert found.skills == {"http://data.europa.eu/esco/skill/R"}
    assert found.any_credential  # the credit pool without children takes any credential
    assert list(found) == sorted(found.achievement_ids | found.skills)
    narrow = pathway({"type": "all", "children": [leaf("a"), {"type": "skill", "skill": "SQL"}]})
    assert not mentions(narrow).any_credential
    assert mentions(narrow).touches("zzz", ["sql "]) and not mentions(narrow).touches("zzz")


def test_mention_index_finds_only_the_pathways_an_award_touches() -> None:
    first = parse_pathway({"id": "1", "name": "1", "requirement": leaf("a")})
    second = parse_pathway(
        {"id": "2", "name": "2", "requirement": {"type": "skill", "skill": "SQL"}}
    )
    third = parse_pathway({"id": "3", "name": "3", "requirement": leaf("b", equivalents=["a"])})
    index = MentionIndex([first, second, third])
    assert index.pathways_for("a") == {"1", "3"}
    assert index.pathways_for("c", ["sql"]) == {"2"}
    assert index.pathways_for("c") == set()


def test_clock_is_the_callers_not_the_machines() -> None:
    p = pathway(leaf("a", maxAgeMonths=1))
    cred = earned("1", "a", issued=datetime(2020, 1, 10, tzinfo=UTC))
    assert evaluate(p, [cred], now=datetime(2020, 2, 1, tzinfo=UTC)).complete
    assert not evaluate(p, [cred], now=datetime(2020, 3, 1, tzinfo=UTC)).complete


def test_evaluate_learner_evaluates_only_touched_pathways_and_agrees_with_evaluate() -> None:
    first = parse_pathway({"id": "1", "name": "1", "requirement": leaf("a")})
    second = parse_pathway({"id": "2", "name": "2", "requirement": leaf("b")})
    wallet = [earned("x", "a"), earned("y", "zzz")]
    results = evaluate_learner([first, second], wallet, now=NOW)
    assert set(results) == {"1"}
    assert results["1"].to_json() == evaluate(first, wallet, now=NOW).to_json()
