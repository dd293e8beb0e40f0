"""The vectorised scorer picks and orders candidates exactly as ``matching.rank`` does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from microcred.core.skills import matching
from microcred.core.skills.matching_rows import score_rows

NOW = datetime(2026, 6, 1, tzinfo=UTC)
SKILLS = ["urn:s:a", "urn:s:b", "urn:s:c", "urn:s:d"]

role_skill = st.builds(
    matching.RoleSkill,
    skill=st.sampled_from(SKILLS),
    label=st.just("x"),
    must_have=st.booleans(),
    weight=st.sampled_from([0.0, 0.3, 0.5, 1.0]),
    min_level=st.one_of(st.none(), st.integers(1, 8)),
)
row = st.tuples(
    st.integers(1, 12),  # owner
    st.sampled_from([*SKILLS, "urn:s:other"]),
    st.integers(0, 4000),  # days ago
    st.one_of(st.none(), st.integers(1, 8)),
    st.sampled_from([1.0, 0.5, 0.2]),
)


def _candidates(rows: list[tuple[int, str, int, int | None, float]]) -> list[matching.Candidate]:
    by_owner: dict[int, list[matching.Evidence]] = {}
    for n, (owner, skill, days, level, trust) in enumerate(rows):
        issued = NOW - timedelta(days=days)
        evidence = matching.Evidence(skill, f"k{n}", "c", "i", issued, None, level, trust)
        by_owner.setdefault(owner, []).append(evidence)
    return [matching.Candidate(str(o), "", tuple(e)) for o, e in by_owner.items()]


@settings(max_examples=300, deadline=None)
@given(st.lists(role_skill, min_size=1, max_size=5), st.lists(row, max_size=40))
def test_same_candidates_in_the_same_order_as_the_engine(
    role: list[matching.RoleSkill], rows: list[tuple[int, str, int, int | None, float]]
) -> None:
    expected = matching.rank(role, _candidates(rows), now=NOW)
    plain = [(o, s, (NOW - timedelta(days=d)).timestamp(), lv, t) for o, s, d, lv, t in rows]
    keys = score_rows(role, plain, now=NOW)
    assert sorted(keys, key=keys.__getitem__) == [int(m.candidate.key) for m in expected]
    for found in expected:
        assert -keys[int(found.candidate.key)][0] == round(found.score, 9)


def test_a_role_with_must_haves_drops_who_lacks_one() -> None:
    role = [
        matching.RoleSkill("urn:s:a", "a", True, 1.0, 3),
        matching.RoleSkill("urn:s:b", "b", False),
    ]
    when = NOW.timestamp()
    rows = [
        (1, "urn:s:a", when, 3, 1.0),
        (2, "urn:s:b", when, 8, 1.0),
        (3, "urn:s:a", when, 2, 1.0),
    ]
    assert list(score_rows(role, rows, now=NOW)) == [1]
