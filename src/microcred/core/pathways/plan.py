"""A pathway compiled for evaluation: flat nodes, assignable units and a lookup index.

A *unit* is where a credential can be put: a leaf outside a credit pool (takes one
credential) or a ``CreditsAtLeast`` pool (takes any number, sums their credits). The index
maps achievement ids and skills to the units they can fill, so evaluating a learner looks
only at the credentials this pathway mentions; a pool without children accepts any
credential and makes the pathway mention "any".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from microcred.core.pathways.model import (
    Achievement,
    All,
    AtLeast,
    CreditsAtLeast,
    Pathway,
    Requirement,
    Skill,
)

LeafReq = Achievement | Skill


@lru_cache(maxsize=65536)
def normalize_skill(skill: str) -> str:
    """URIs match exactly; skill names match case-insensitively, spaces trimmed."""
    text = skill.strip()
    return text if "://" in text or text.startswith("urn:") else " ".join(text.casefold().split())


@dataclass(frozen=True)
class Node:
    index: int
    kind: str  # all | atLeast | creditsAtLeast | leaf
    requirement: Requirement
    path: str
    children: tuple[int, ...] = ()
    unit: int = -1  # for leaves outside pools and for pools


@dataclass(frozen=True)
class Unit:
    index: int
    node: int
    pool: bool
    n: float = 0.0  # pools: credits needed
    credit_unit: str = "ECTS"
    accepts_any: bool = False  # a pool without children


@dataclass
class Plan:
    pathway: Pathway
    nodes: list[Node] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    # achievement id / normalized skill -> [(unit, leaf whose filters apply)]
    by_achievement: dict[str, list[tuple[int, LeafReq]]] = field(default_factory=dict)
    by_skill: dict[str, list[tuple[int, LeafReq]]] = field(default_factory=dict)
    any_units: list[int] = field(default_factory=list)
    accepted_issuers: frozenset[str] | None = None


def compile_pathway(pathway: Pathway) -> Plan:
    """The plan of ``pathway``, computed once and cached on the (frozen) model."""
    cached = pathway._plan
    if isinstance(cached, Plan):
        return cached
    plan = Plan(pathway=pathway)
    if pathway.accepted_issuers is not None:
        plan.accepted_issuers = frozenset(pathway.accepted_issuers)
    _add(plan, pathway.requirement, "requirement")
    pathway._plan = plan
    return plan


def _add(plan: Plan, req: Requirement, path: str) -> int:
    index = len(plan.nodes)
    plan.nodes.append(Node(index, "pending", req, path))  # placeholder keeps pre-order
    if isinstance(req, All | AtLeast):
        children = tuple(
            _add(plan, child, f"{path}.children[{i}]") for i, child in enumerate(req.children)
        )
        plan.nodes[index] = Node(index, req.type, req, path, children)
        return index
    unit = len(plan.units)
    if isinstance(req, CreditsAtLeast):
        plan.units.append(
            Unit(unit, index, True, req.n, req.unit, accepts_any=req.children is None)
        )
        if req.children is None:
            plan.any_units.append(unit)
        for leaf in req.children or ():
            _index_leaf(plan, leaf, unit)
        plan.nodes[index] = Node(index, "creditsAtLeast", req, path, (), unit)
        return index
    plan.units.append(Unit(unit, index, False))
    _index_leaf(plan, req, unit)
    plan.nodes[index] = Node(index, "leaf", req, path, (), unit)
    return index


def _index_leaf(plan: Plan, leaf: LeafReq, unit: int) -> None:
    if isinstance(leaf, Achievement):
        for achievement_id in dict.fromkeys(leaf.achievement_ids):
            plan.by_achievement.setdefault(achievement_id, []).append((unit, leaf))
    else:
        plan.by_skill.setdefault(normalize_skill(leaf.skill), []).append((unit, leaf))
