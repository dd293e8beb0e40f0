"""The selector reads only learners who can be ranked; the ranking is unchanged by it.

``selectors`` filters in SQL on must-haves held at the level asked (so 100,000 learners'
rows are not all read): a learner exactly at the level asked, or holding the must-haves
through two credentials, is still listed; one below the level is not; and the result is the
engine's own ranking over every consenting learner's shown rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
from django.utils import timezone

from microcred.core.skills import matching
from microcred.talent import selectors, services
from microcred.talent.models import Role

pytestmark = [pytest.mark.django_db, pytest.mark.storage]


@pytest.fixture
def mixed(
    learner: Callable[..., Any], definition_for: Callable[..., Any], give: Callable[..., Any]
) -> None:
    """eve: both must-haves at exactly the level asked; fay: both one level below;
    gus: the must-haves through two credentials, plus statistics; hal: statistics only."""
    held = {
        "eve": [definition_for("sql", "data-cleaning", level=5)],
        "fay": [definition_for("sql", "data-cleaning", level=4)],
        "gus": [definition_for("sql", "statistics", level=6), definition_for("data-cleaning")],
        "hal": [definition_for("statistics", "data-visualisation", level=7)],
    }
    for name, definitions in held.items():
        person = learner(name)
        for definition in definitions:
            give(person, definition)
        services.opt_in(person, display_name=name.title())


def _unfiltered(role: Role, now: datetime) -> list[matching.Match]:
    """The engine's ranking over every shown row of the role's skills (no prefilter)."""
    wanted = selectors.role_skills(role)
    evidence: dict[int, list[matching.Evidence]] = defaultdict(list)
    fields = selectors._FIELDS
    for owner, *rest in selectors._fresh_rows([s.skill for s in wanted], now).values_list(*fields):
        evidence[owner].append(matching.Evidence(*rest))
    people = [matching.Candidate(str(k), "", tuple(v)) for k, v in evidence.items()]
    return matching.rank(wanted, people, now=now, limit=50)


def test_must_haves_at_the_level_asked_are_kept_below_it_dropped(
    mixed: None, analyst_role: Role
) -> None:
    found = [c.match.candidate.display_name for c in selectors.candidates(analyst_role)]
    assert found == ["Gus", "Eve"]  # gus also shows statistics; fay is below; hal lacks both


def test_the_ranking_is_the_engines_over_every_consenting_learner(
    mixed: None, analyst_role: Role
) -> None:
    now = timezone.now()
    listed = selectors.candidates(analyst_role, now=now)
    engine = _unfiltered(analyst_role, now)
    assert [c.match.candidate.key for c in listed] == [m.candidate.key for m in engine]
    assert [c.match.score for c in listed] == [m.score for m in engine]
    assert [c.match.skills for c in listed] == [m.skills for m in engine]
