"""What is left of a pathway, as a learning-path goal for ``core.skills.planning``.

The pathway engine has already decided which of the learner's credentials fill which part
(each credential once per pathway), so the goal is built from the *progress tree*: met
nodes drop out, an ``AtLeast k`` with m children met asks for ``k - m`` of the others, and a
credit pool asks for the credits it still lacks. The planner then needs no knowledge of
the learner's credentials for a pathway (no double counting of one credential).

Decisions where the two models differ:
- an achievement leaf with recognised equivalents is met by any one of them (``AtLeastOf 1``);
- a pool counted in hours is converted to ECTS at ``HOURS_PER_ECTS`` hours per credit (the
  low end of the ECTS users' guide's 25-30 hours, so the plan never falls short in hours);
- a pool's skill leaves become the achievements of the offerings that teach the skill;
  a pool whose leaves no offering can earn keeps an id no offering earns, so the planner
  reports it uncovered instead of counting any offering's credits;
- minimum results and maximum ages are not planned for: a new credential is recent, and
  the result is the learner's to earn.
"""

from __future__ import annotations

from collections.abc import Mapping

from microcred.core.pathways.model import Achievement, AtLeast, CreditsAtLeast, Skill
from microcred.core.pathways.progress import NodeProgress
from microcred.core.skills.planning import (
    AllOf,
    AtLeastOf,
    CreditsOf,
    Goal,
    NeedAchievement,
    NeedSkill,
)

HOURS_PER_ECTS = 25.0


def remaining_goal(
    node: NodeProgress, teaching: Mapping[str, frozenset[str]] | None = None
) -> Goal | None:
    """The goal that completes ``node`` from where the learner stands; None when met.

    ``teaching`` maps a skill (URI) to the achievement ids of offerings that teach it.
    """
    if node.met:
        return None
    req = node.requirement
    if isinstance(req, Achievement):
        return _achievement(req)
    if isinstance(req, Skill):
        return NeedSkill(req.skill, label=req.title or req.skill)
    if isinstance(req, CreditsAtLeast):
        return _pool(req, node.credits or 0.0, teaching or {})
    left = [goal for child in node.children if (goal := remaining_goal(child, teaching))]
    if isinstance(req, AtLeast):
        met = sum(child.met for child in node.children)
        return AtLeastOf(max(1, req.k) - met, tuple(left))
    return AllOf(tuple(left))


def _achievement(req: Achievement) -> Goal:
    label = req.title or req.achievement_id
    leaves = tuple(NeedAchievement(a, label=label) for a in req.achievement_ids)
    return leaves[0] if len(leaves) == 1 else AtLeastOf(1, leaves)


def _pool(req: CreditsAtLeast, counted: float, teaching: Mapping[str, frozenset[str]]) -> Goal:
    left = max(0.0, req.n - counted)
    credits = left if req.unit == "ECTS" else left / HOURS_PER_ECTS
    if req.children is None:
        return CreditsOf(credits)
    allowed: set[str] = set()
    for leaf in req.children:
        if isinstance(leaf, Achievement):
            allowed.update(leaf.achievement_ids)
        else:
            allowed.update(teaching.get(leaf.skill, frozenset()))
    # Nothing teaches it: an id no offering earns (see the module note), never "any".
    return CreditsOf(credits, frozenset(allowed) or frozenset({f"urn:microcred:none:{req.n}"}))
