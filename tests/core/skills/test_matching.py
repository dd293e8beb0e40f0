"""Candidate matching on hand-built cases: ranked as a recruiter would rank them.

Revoked and suspended credentials never reach ``rank`` (the talent selectors drop them);
what ``rank`` itself must ignore is evidence whose ``valid_until`` has passed.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from microcred.core.skills.matching import Candidate, Evidence, Match, RoleSkill, rank

NOW = datetime(2026, 6, 15, tzinfo=UTC)
YEAR = timedelta(days=365.25)
SQL, CLEAN, VIZ, PY, STORY = (f"urn:s:{s}" for s in ("sql", "clean", "viz", "py", "story"))
ROLE = [
    RoleSkill(SQL, "SQL querying", must_have=True, min_level=5),
    RoleSkill(CLEAN, "data cleaning", must_have=True, min_level=4),
    RoleSkill(VIZ, "data visualisation", must_have=False, weight=0.3, min_level=4),
    RoleSkill(PY, "Python", must_have=False, weight=0.3),
    RoleSkill(STORY, "storytelling", must_have=False, weight=0.3, min_level=3),
]


def ev(skill: str, level: int | None, age_years: float, **kw: object) -> Evidence:
    name = str(kw.pop("name", f"{skill.rsplit(':', 1)[1].upper()} course"))
    return Evidence(
        skill=skill,
        credential_key=str(kw.pop("key", f"cred-{skill}-{level}-{age_years}")),
        credential_name=name,
        issuer_name=str(kw.pop("issuer", "Acme Academy")),
        issued=NOW - age_years * YEAR,
        valid_until=kw.pop("valid_until", None),  # type: ignore[arg-type]
        level=level,
        trust=float(kw.pop("trust", 1.0)),  # type: ignore[arg-type]
    )


def who(key: str, *evidence: Evidence) -> Candidate:
    return Candidate(key=key, display_name=key.title(), evidence=evidence)


def keys(matches: list[Match]) -> list[str]:
    return [m.candidate.key for m in matches]


def statuses(match: Match) -> dict[str, str]:
    return {s.label: s.status for s in match.skills}


ALICE = who("alice", ev(SQL, 5, 1), ev(CLEAN, 4, 1))
#: more nice-to-haves, but SQL at level 3 of 5
BOB = who(
    "bob", ev(SQL, 3, 0.5), ev(CLEAN, 5, 0.5), ev(VIZ, 5, 0.5), ev(PY, 6, 0.5), ev(STORY, 4, 1)
)
#: more nice-to-haves, but SQL from nine years ago
CAROL = who("carol", ev(SQL, 6, 9), ev(CLEAN, 5, 1), ev(VIZ, 5, 1), ev(PY, 6, 1), ev(STORY, 4, 1))
DAVE = who("dave", ev(SQL, 5, 1), ev(CLEAN, 4, 1), ev(VIZ, 4, 2))


def test_all_must_haves_at_the_level_asked_beat_more_nice_to_haves() -> None:
    ranked = rank(ROLE, [BOB, CAROL, ALICE, DAVE], now=NOW)
    assert keys(ranked) == ["dave", "alice"]  # bob and carol fall short on SQL
    dave, alice = ranked
    assert dave.score > alice.score > 0
    assert statuses(alice) == {
        "SQL querying": "matched",
        "data cleaning": "matched",
        "data visualisation": "missing",
        "Python": "missing",
        "storytelling": "missing",
    }


def test_without_the_filter_a_low_level_or_old_skill_is_partial_and_explained() -> None:
    soft = [RoleSkill(r.skill, r.label, False, r.weight, r.min_level) for r in ROLE]
    ranked = {m.candidate.key: m for m in rank(soft, [BOB, CAROL, ALICE], now=NOW)}
    bob_sql, carol_sql = ranked["bob"].skills[0], ranked["carol"].skills[0]
    assert bob_sql.status == "partial"
    assert bob_sql.why == (
        "SQL course (Acme Academy): level 3 of 5 asked, issued 6 months ago; below the level asked"
    )
    assert carol_sql.status == "partial"
    assert carol_sql.why.endswith("level 6 (5 asked), issued 9 years ago; too old to count fully")
    assert 0 < carol_sql.score < 0.4


def test_expired_evidence_does_not_count() -> None:
    gone = who(
        "gone",
        ev(SQL, 6, 1, valid_until=NOW - timedelta(days=1)),
        ev(SQL, 5, 0.2, valid_until=NOW + YEAR, key="fresh-sql"),
        ev(CLEAN, 4, 1),
        ev(VIZ, 6, 1, valid_until=NOW),
    )
    (match,) = rank(ROLE, [gone], now=NOW)
    sql, _, viz, *_ = match.skills
    assert [e.credential_key for e in sql.evidence] == ["fresh-sql"]
    assert viz.status == "missing" and viz.why == "only expired credentials show it"
    lapsed = who("lapsed", ev(SQL, 6, 1, valid_until=NOW - YEAR), ev(CLEAN, 4, 1))
    assert rank(ROLE, [lapsed], now=NOW) == []


def test_must_have_filter_and_the_index_skip_who_does_not_qualify() -> None:
    nothing = who("nothing", ev("urn:s:other", 8, 0))
    half = who("half", ev(SQL, 7, 0))
    unstated = who("unstated", ev(SQL, None, 0), ev(CLEAN, 4, 0))
    assert rank(ROLE, [nothing, half, unstated, ALICE], now=NOW) == rank(ROLE, [ALICE], now=NOW)
    nice_only = [r for r in ROLE if not r.must_have]
    assert keys(rank(nice_only, [nothing, half, BOB], now=NOW)) == ["bob"]


def test_explanation_names_the_credentials_that_prove_each_skill() -> None:
    strong = ev(SQL, 6, 0.3, name="Advanced SQL", issuer="Uni Gent", key="adv")
    weak = ev(SQL, 5, 3, name="SQL basics", key="basic")
    remote = ev(CLEAN, 4, 0.1, name="Clean data", issuer="Far Away Ltd", trust=0.5, key="far")
    (match,) = rank(ROLE, [who("x", weak, strong, remote, ev(STORY, None, 1))], now=NOW)
    sql, clean, viz, _python, story = match.skills
    assert sql.status == "matched" and [e.credential_key for e in sql.evidence] == ["adv", "basic"]
    assert sql.why == "Advanced SQL (Uni Gent): level 6 (5 asked), issued 3 months ago"
    assert clean.status == "matched"  # fresh enough that half trust still counts
    assert clean.why.endswith("issued 1 month ago, issuer not in the trust registry")
    assert clean.score == pytest.approx(0.5 * 0.5 ** (0.1 / 5))
    assert (viz.status, viz.why, viz.evidence) == ("missing", "no valid credential shows it", ())
    assert story.status == "partial" and story.why.endswith("cannot show the level asked")
    expected = (sql.score + clean.score + 0.3 * story.score) / 2.9  # weights 1 + 1 + 0.3 x 3
    assert match.score == pytest.approx(expected)


def test_ties_go_to_fewer_missing_skills_then_recent_evidence_then_key() -> None:
    role = [RoleSkill("urn:a", "A", False, min_level=4), RoleSkill("urn:b", "B", False)]
    one_strong = who("a-one", ev("urn:a", 4, 0))  # 1.0 and missing: 0.5
    two_halves = who("z-two", ev("urn:a", 2, 0), ev("urn:b", None, 0, trust=0.5))  # 0.5 + 0.5
    assert keys(rank(role, [one_strong, two_halves], now=NOW)) == ["z-two", "a-one"]
    old = who("a-old", ev("urn:b", None, 5))  # freshness 0.5
    new = who("b-new", ev("urn:b", None, 0, trust=0.5))  # trust 0.5
    assert keys(rank(role, [old, new], now=NOW)) == ["b-new", "a-old"]
    twin = who("a-twin", ev("urn:b", None, 0, trust=0.5))
    assert keys(rank(role, [new, twin], now=NOW)) == ["a-twin", "b-new"]


def test_limit_returns_the_top_of_the_full_ranking() -> None:
    rnd = random.Random(5)
    skills = [r.skill for r in ROLE]
    people = [
        who(
            f"p{i}",
            *(
                ev(
                    rnd.choice(skills),
                    rnd.choice([None, 3, 4, 5, 6]),
                    rnd.random() * 8,
                    key=f"{i}-{j}",
                )
                for j in range(rnd.randint(0, 6))
            ),
        )
        for i in range(400)
    ]
    full = rank(ROLE, people, now=NOW)
    assert 5 < len(full) < 400
    assert rank(ROLE, people, now=NOW, limit=10) == full[:10]
    assert rank(ROLE, people, now=NOW, limit=0) == []
    assert all(statuses(m)["SQL querying"] == "matched" for m in full)
    assert [m.score for m in full] == sorted((m.score for m in full), reverse=True)


def test_bad_weights_are_named() -> None:
    with pytest.raises(ValueError, match="role skill 'urn:s:sql': weight must be a number >= 0"):
        rank([RoleSkill(SQL, "SQL", True, weight=-1)], [ALICE], now=NOW)
