"""Stackable pathways: requirement trees, their validation and their evaluation.

Framework-free: the pathways app stores definitions and learners' credentials, turns
them into :class:`Pathway` and :class:`Earned`, and calls :func:`evaluate`. The file
format and the rules are in docs/pathways.md.
"""

from microcred.core.pathways.ctdl import to_ctdl
from microcred.core.pathways.engine import Earned, Standing, evaluate, evaluate_learner
from microcred.core.pathways.grades import meets_minimum
from microcred.core.pathways.mentions import MentionIndex, Mentions, mentions
from microcred.core.pathways.model import (
    Achievement,
    All,
    AtLeast,
    CreditsAtLeast,
    Pathway,
    Requirement,
    Skill,
    dumps,
    parse_pathway,
)
from microcred.core.pathways.plan import compile_pathway
from microcred.core.pathways.progress import NextStep, NodeProgress, Progress
from microcred.core.pathways.validate import validate_pathway, walk

__all__ = [
    "Achievement",
    "All",
    "AtLeast",
    "CreditsAtLeast",
    "Earned",
    "MentionIndex",
    "Mentions",
    "NextStep",
    "NodeProgress",
    "Pathway",
    "Progress",
    "Requirement",
    "Skill",
    "Standing",
    "compile_pathway",
    "dumps",
    "evaluate",
    "evaluate_learner",
    "meets_minimum",
    "mentions",
    "parse_pathway",
    "to_ctdl",
    "validate_pathway",
    "walk",
]
