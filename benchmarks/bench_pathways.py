#!/usr/bin/env python
"""Pathway evaluation, engine only: N learners x M pathways, and what one award touches.

    python benchmarks/bench_pathways.py [--learners N] [--pathways M] [--quick] [--seed S]
                                        [--json FILE]

A synthetic catalogue of 2,000 achievements (skills on some) and M pathways, each an
``All`` of 2-4 required achievements (some with an equivalent from another provider), an
``AtLeast 2`` of 3-5 electives, a skill leaf and a 10-ECTS pool over listed achievements.
Each learner holds 1-12 credentials, drawn with a popularity skew, a few expired, revoked
or imported from issuers a pathway may not accept.

Full re-evaluation (what runs after pathways change) goes learner by learner with
``evaluate_learner``: the mention index picks the pathways the learner's credentials touch
and only those are evaluated; the rest have no progress to show. Reported: learners per
second, pairs (learner x pathway) per second, and engine evaluations per second. Then the
incremental case: for sample awards, how many of the M pathways ``MentionIndex`` says one
new credential re-evaluates ("1 award re-evaluates 3 of 100 pathways").
"""

from __future__ import annotations

import argparse
import json
import random
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from microcred.core.pathways import (
    Earned,
    MentionIndex,
    Pathway,
    evaluate_learner,
    parse_pathway,
)

NOW = datetime(2026, 6, 15, tzinfo=UTC)
ACHIEVEMENTS = 2000
SKILLS = 200


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, help="learners (100000; quick: 2000)")
    parser.add_argument("--pathways", type=int, help="pathways (100; quick: 20)")
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.learners is None:
        args.learners = 2000 if args.quick else 100_000
    if args.pathways is None:
        args.pathways = 20 if args.quick else 100
    if args.learners < 1 or args.pathways < 1:
        parser.error("--learners and --pathways must be at least 1")
    return args


def _aid(i: int) -> str:
    return f"https://p{i % 7}.example/achievements/{i}"


def _popular(rnd: random.Random) -> int:
    """An achievement index, skewed: a few achievements are earned (and required) often."""
    i = min(int(rnd.paretovariate(0.6)) - 1, ACHIEVEMENTS - 1)
    return (i * 7919) % ACHIEVEMENTS


def make_pathway(rnd: random.Random, number: int, studied: list[tuple[list[int], str]]) -> Pathway:
    picks: list[int] = []
    while len(picks) < 16:
        i = _popular(rnd) if rnd.random() < 0.1 else rnd.randrange(ACHIEVEMENTS)
        if i not in picks:
            picks.append(i)
    required = [
        {"type": "achievement", "achievementId": _aid(i),
         "equivalents": [_aid(picks[-1])] if n == 0 else []}
        for n, i in enumerate(picks[: rnd.randint(2, 4)])
    ]  # fmt: skip
    electives = [
        {"type": "achievement", "achievementId": _aid(i)} for i in picks[4 : 4 + rnd.randint(3, 5)]
    ]
    pool = [{"type": "achievement", "achievementId": _aid(i)} for i in picks[9:15]]
    skill = f"skill {rnd.randrange(SKILLS)}"
    requirement = {
        "type": "all",
        "children": [
            *required,
            {"type": "atLeast", "k": 2, "children": electives},
            {"type": "skill", "skill": skill},
            {"type": "creditsAtLeast", "n": 10, "unit": "ECTS", "children": pool},
        ],
    }
    studied.append((picks[:15], skill))
    return parse_pathway(
        {"id": f"pathway-{number}", "name": f"Pathway {number}", "requirement": requirement,
         "acceptedIssuers": ["https://p1.example", "https://p2.example"]}
    )  # fmt: skip


def make_learner(
    rnd: random.Random, number: int, studied: list[tuple[list[int], str]]
) -> list[Earned]:
    """1-12 popular credentials; one learner in ten follows a pathway and holds most of it."""
    skill = f"skill {rnd.randrange(SKILLS)}"
    if rnd.random() < 0.1:
        picks, skill = rnd.choice(studied)
        chosen = [i for i in picks if rnd.random() < 0.85]
    else:
        chosen = [_popular(rnd) for _ in range(rnd.randint(1, 12))]
    wallet = []
    for n, i in enumerate(chosen):
        wallet.append(
            Earned(
                credential_id=f"urn:uuid:{number}-{n}",
                achievement_id=_aid(i),
                issuer_id=f"https://p{i % 7}.example",
                skills=frozenset({skill if n == 0 else f"skill {rnd.randrange(SKILLS)}"}),
                credits_ects=rnd.choice([None, 2.5, 5.0]),
                hours=None,
                result=None,
                issued=NOW - timedelta(days=rnd.randrange(1, 1500)),
                standing=rnd.choice(["valid"] * 17 + ["expired", "revoked", "suspended"]),
                imported=rnd.random() < 0.2,
            )
        )
    return wallet


def run(args: argparse.Namespace) -> dict[str, Any]:
    rnd = random.Random(args.seed)
    studied: list[tuple[list[int], str]] = []
    pathways = [make_pathway(rnd, n, studied) for n in range(args.pathways)]
    learners = [make_learner(rnd, n, studied) for n in range(args.learners)]
    index = MentionIndex(pathways)
    started = time.perf_counter()
    evaluations = complete = 0
    for wallet in learners:
        results = evaluate_learner(pathways, wallet, now=NOW, index=index)
        evaluations += len(results)
        complete += sum(progress.complete for progress in results.values())
    seconds = time.perf_counter() - started
    touched = [
        len(index.pathways_for(e.achievement_id, e.skills)) for w in learners[:1000] for e in w
    ]
    pairs = args.learners * args.pathways
    return {
        "learners": args.learners,
        "pathways": args.pathways,
        "seconds": seconds,
        "learners_per_second": args.learners / seconds,
        "pairs_per_second": pairs / seconds,
        "evaluations": evaluations,
        "evaluations_per_second": evaluations / seconds,
        "complete": complete,
        "award_touches_mean": sum(touched) / len(touched),
        "award_touches_max": max(touched),
    }


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = run(args)
    print(f"pathways: {result['learners']} learners x {result['pathways']} pathways "
          f"(engine only, one process)")  # fmt: skip
    print(f"full re-evaluation     {result['seconds']:.2f} s")
    print(f"learners per second    {result['learners_per_second']:,.0f}")
    print(f"pairs per second       {result['pairs_per_second']:,.0f}  (learner x pathway)")
    print(f"evaluations per second {result['evaluations_per_second']:,.0f}  "
          f"({result['evaluations']:,} engine evaluations; other pairs untouched)")  # fmt: skip
    print(f"complete pathways      {result['complete']:,}")
    print(f"1 award re-evaluates {result['award_touches_mean']:.1f} of {result['pathways']} "
          f"pathways (mean; max {result['award_touches_max']})")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
