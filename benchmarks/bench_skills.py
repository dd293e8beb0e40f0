#!/usr/bin/env python
"""Employer matching and learning paths, engine only (no database).

    python benchmarks/bench_skills.py [--learners N] [--catalogs 200 1000 5000] [--targets T]
                                      [--repeat R] [--quick] [--seed S] [--json FILE]

Matching: N synthetic learners (default 100,000) hold 1-8 credentials each over 300 skills
(a popularity skew, levels 2-7, issued up to 10 years ago, one in twenty expired, trust
1.0 / 0.5); one role of 3 must-haves and 5 nice-to-haves; ``matching.rank`` returns the
top 50 with explanations. Reported: median time of R runs and tracemalloc peak.

Paths: for each catalog size, T target roles (8 required skills at levels 3-6); offerings
teach 3-8 skills drawn from the role pool and 300 others at levels 2-7, 10-60 hours, a
price, ECTS, one prerequisite for one offering in five. ``planning.plan_path`` exact
(scipy milp, HiGHS) and greedy (``time_limit=0``); a learner holds 2 of the 8 skills.
Reported per size: median and max exact time over targets (each the median of R runs),
greedy time, greedy cost over exact cost (mean and max), steps, tracemalloc peak
(Python and numpy allocations; HiGHS's own C++ memory is not seen by tracemalloc).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _timing import peak, timed
from microcred.core.skills.matching import Candidate, Evidence, RoleSkill, rank
from microcred.core.skills.planning import AllOf, Goal, NeedSkill, Offering, plan_path

NOW = datetime(2026, 6, 15, tzinfo=UTC)
SKILLS = 300
ROLE_POOL = 40  # skills 0..39 are the ones roles ask for


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, help="learners to rank (100000; quick: 2000)")
    parser.add_argument("--catalogs", type=int, nargs="+", help="catalog sizes (200 1000 5000)")
    parser.add_argument("--targets", type=int, help="target roles per catalog (10; quick: 3)")
    parser.add_argument("--repeat", type=int, help="runs per measurement (5; quick: 2)")
    parser.add_argument("--quick", action="store_true", help="smoke run")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    quick = args.quick
    args.learners = args.learners if args.learners is not None else (2000 if quick else 100_000)
    args.catalogs = args.catalogs or ([200] if quick else [200, 1000, 5000])
    args.targets = args.targets if args.targets is not None else (3 if quick else 10)
    args.repeat = args.repeat if args.repeat is not None else (2 if quick else 5)
    if min(args.learners, args.targets, args.repeat, *args.catalogs) < 1:
        parser.error("--learners, --catalogs, --targets and --repeat must be at least 1")
    return args


def _skill(i: int) -> str:
    return f"urn:bench:skill:{i}"


def _popular(rnd: random.Random) -> int:
    return min(int(rnd.paretovariate(0.8)) - 1, SKILLS - 1)


def make_learner(rnd: random.Random, number: int) -> Candidate:
    evidence = []
    for n in range(rnd.randint(1, 8)):
        issued = NOW - timedelta(days=rnd.randrange(1, 3650))
        expired = rnd.random() < 0.05
        evidence.append(
            Evidence(
                skill=_skill(_popular(rnd)),
                credential_key=f"c{number}-{n}",
                credential_name=f"Credential {n}",
                issuer_name=f"Provider {n % 7}",
                issued=issued,
                valid_until=NOW - timedelta(days=1) if expired else None,
                level=rnd.randint(2, 7),
                trust=1.0 if rnd.random() < 0.8 else 0.5,
            )
        )
    return Candidate(key=f"learner-{number:06d}", display_name="", evidence=tuple(evidence))


def make_role() -> list[RoleSkill]:
    must = [RoleSkill(_skill(i), f"skill {i}", True, 1.0, 3) for i in (0, 1, 2)]
    nice = [RoleSkill(_skill(i), f"skill {i}", False, 0.3, 4) for i in (3, 4, 5, 8, 13)]
    return must + nice


def make_catalog(rnd: random.Random, size: int) -> list[Offering]:
    catalog = []
    for i in range(size):
        taught = set()
        for _ in range(rnd.randint(3, 8)):
            pick = rnd.randrange(ROLE_POOL) if rnd.random() < 0.3 else rnd.randrange(SKILLS)
            taught.add(pick)
        prereqs = (f"o{rnd.randrange(i)}",) if i and rnd.random() < 0.2 else ()
        hours = rnd.randint(10, 60)
        catalog.append(
            Offering(
                key=f"o{i}",
                title=f"Offering {i}",
                hours=float(hours),
                price=float(round(hours * rnd.uniform(5, 40))),
                skills={_skill(s): rnd.randint(2, 7) for s in taught},
                earns=f"urn:bench:achievement:{i}",
                ects=hours / 25,
                prerequisites=prereqs,
            )
        )
    return catalog


def make_target(rnd: random.Random) -> tuple[Goal, dict[str, int | None]]:
    skills = rnd.sample(range(ROLE_POOL), 8)
    goal = AllOf(tuple(NeedSkill(_skill(s), rnd.randint(3, 6)) for s in skills))
    return goal, {_skill(s): 7 for s in skills[:2]}


def bench_matching(args: argparse.Namespace, rnd: random.Random) -> dict[str, Any]:
    learners = [make_learner(rnd, n) for n in range(args.learners)]
    role = make_role()
    seconds, top = timed(lambda: rank(role, learners, now=NOW, limit=50), args.repeat)
    full = rank(role, learners, now=NOW)
    return {
        "learners": args.learners,
        "ranked": len(full),
        "returned": len(top),
        "seconds": seconds,
        "peak_bytes": peak(lambda: rank(role, learners, now=NOW, limit=50)),
    }


def _target(
    catalog: list[Offering], goal: Goal, held: dict[str, int | None], repeat: int
) -> dict[str, Any]:
    exact_t, exact = timed(lambda: plan_path(goal, catalog, held_skills=held), repeat)
    greedy_t, greedy = timed(
        lambda: plan_path(goal, catalog, held_skills=held, time_limit=0), repeat
    )
    assert exact.optimal and greedy.uncovered == exact.uncovered
    return {
        "exact_s": exact_t,
        "greedy_s": greedy_t,
        # both plan the same (coverable part of the) goal
        "ratio": greedy.total_hours / exact.total_hours if exact.total_hours else 1.0,
        "steps": (len(greedy.steps), len(exact.steps)),
        "uncovered": len(exact.uncovered),
    }


def bench_paths(args: argparse.Namespace, rnd: random.Random, size: int) -> dict[str, Any]:
    catalog = make_catalog(rnd, size)
    plan_path(make_target(random.Random(0))[0], catalog, held_skills={})  # warm: imports scipy
    runs = [_target(catalog, *make_target(rnd), args.repeat) for _ in range(args.targets)]
    goal, held = make_target(rnd)
    ratios = [r["ratio"] for r in runs]
    return {
        "offerings": size,
        "targets": args.targets,
        "exact_median_s": statistics.median(r["exact_s"] for r in runs),
        "exact_max_s": max(r["exact_s"] for r in runs),
        "greedy_median_s": statistics.median(r["greedy_s"] for r in runs),
        "greedy_over_exact_mean": statistics.mean(ratios),
        "greedy_over_exact_max": max(ratios),
        "steps_greedy_mean": statistics.mean(r["steps"][0] for r in runs),
        "steps_exact_mean": statistics.mean(r["steps"][1] for r in runs),
        "targets_with_uncovered": sum(1 for r in runs if r["uncovered"]),
        "peak_bytes": peak(lambda: plan_path(goal, catalog, held_skills=held)),
    }


def report(result: dict[str, Any]) -> None:
    m = result["matching"]
    print(f"matching: {m['learners']:,} learners, 1 role (3 must-haves, 5 nice-to-haves)")
    print(f"rank top 50            {m['seconds'] * 1000:8.1f} ms  (median)")
    print(f"ranked candidates      {m['ranked']:,}")
    print(f"peak memory            {m['peak_bytes'] / 2**20:8.1f} MiB (tracemalloc)")
    print("paths: 8 required skills, 2 held; exact = scipy milp (HiGHS), greedy = time_limit 0")
    print(f"{'offerings':>9} {'exact med ms':>12} {'exact max ms':>12} {'greedy ms':>9} "
          f"{'greedy/exact':>12} {'max':>6} {'steps g/e':>9} {'peak MiB':>8}")  # fmt: skip
    for p in result["paths"]:
        print(
            f"{p['offerings']:>9} {p['exact_median_s'] * 1000:>12.1f} {p['exact_max_s'] * 1000:>12.1f} "
            f"{p['greedy_median_s'] * 1000:>9.1f} {p['greedy_over_exact_mean']:>12.3f} "
            f"{p['greedy_over_exact_max']:>6.3f} "
            f"{p['steps_greedy_mean']:>4.1f}/{p['steps_exact_mean']:<4.1f} "
            f"{p['peak_bytes'] / 2**20:>8.1f}"
        )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    rnd = random.Random(args.seed)
    result = {
        "matching": bench_matching(args, rnd),
        "paths": [bench_paths(args, rnd, size) for size in args.catalogs],
    }
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
