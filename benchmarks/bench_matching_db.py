#!/usr/bin/env python
"""Employer matching through the database: ``talent.selectors.candidates`` at scale.

    python benchmarks/bench_matching_db.py [--learners N] [--repeat R] [--seed S] [--json FILE]

A throwaway database: a SQLite file in a temporary directory, or, when
``MICROCRED_DATABASE_URL`` is set (``postgresql://...``), a database ``<its name>_mbench``
created on that server and dropped afterwards. It is migrated and filled (see
``_matching_db.py``) with N opted-in learners (default 100,000); one employer role asks
for 8 skills, 2 of them must-haves. Timed (median of R runs, after one warm-up):

- ``selector``: ``candidates(role, limit=50)`` as the employer's page calls it (query the
  index alone, score plain rows, re-check the best 50 against consent, credential and
  wallet records, explain them, display names);
- ``query``: the reference input - every candidate's evidence read with the joins to the
  records (not the index's copies) and built as core objects (what the selector did before);
- ``engine``: ``matching.rank`` alone on exactly those candidates (the baseline, measured
  in the same run), and the selector's time as a multiple of it. The run fails unless the
  selector returns exactly the engine's top 50.

Peak memory: tracemalloc over one selector run (Python allocations; the database's own
memory is not seen).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "src")]

from _timing import peak, timed  # noqa: E402  (after the path above)

#: role skills by their index in the taxonomy (popular skills first): (index, must, weight, level)
ROLE = ((0, True, 1.0, 3), (2, True, 1.0, 3), (1, False, 0.5, 4), (3, False, 0.5, 4),
        (4, False, 0.3, 4), (7, False, 0.3, 4), (12, False, 0.3, None), (20, False, 0.3, 5))  # fmt: skip


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=100_000, help="opted-in learners")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if args.learners < 1 or args.repeat < 1:
        parser.error("--learners and --repeat must be at least 1")
    return args


class PostgresDatabase:
    """``<name>_mbench`` next to the database of ``url``, created empty, dropped on exit."""

    def __init__(self, url: str) -> None:
        import psycopg

        base, _, name = url.rpartition("/")
        self.name = f"{name.split('?')[0]}_mbench"
        self.admin = f"{base}/postgres"
        self.url = f"{base}/{self.name}"
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def setup_django(url: str, data_dir: str) -> None:
    os.environ["MICROCRED_DATABASE_URL"] = url
    os.environ["MICROCRED_ENV"] = "test"  # DEBUG off: Django keeps no query log
    os.environ["MICROCRED_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "microcred.platform.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


class World:
    """The provider, definition, taxonomy and role every learner's rows point at."""

    def __init__(self) -> None:
        from django.contrib.auth import get_user_model

        from _matching_db import SKILLS, skill_uri
        from microcred.credentials import services as credentials
        from microcred.providers import services as providers
        from microcred.skills.models import Skill
        from microcred.talent.models import Employer, Role, RoleSkill

        owner = get_user_model().objects.create_user(username="bench", email="b@example.com")
        provider = providers.create_provider(
            actor=owner, slug="bench", name="Bench Academy", legal_name="Bench Academy B.V.",
            country="NL", did_method="key",
        )  # fmt: skip
        draft = credentials.create_definition(
            actor=owner, provider=provider, slug="bench", name="Bench",
            description="A benchmark micro-credential.", criteria_narrative="Passed.",
            learning_outcomes=["Does it"], expiry_months=None,
        )  # fmt: skip
        self.provider_id = provider.pk
        self.definition_id = credentials.publish(actor=owner, definition=draft).pk
        skills = Skill.objects.bulk_create(
            Skill(scheme="custom", code=f"s{i}", uri=skill_uri(i), label=f"skill {i}")
            for i in range(SKILLS)
        )
        employer = Employer.objects.create(name="Bench Employer", slug="bench")
        self.role = Role.objects.create(employer=employer, title="Bench role")
        RoleSkill.objects.bulk_create(
            RoleSkill(role=self.role, skill=skills[i], must_have=must, weight=weight,
                      min_level=level, position=p)
            for p, (i, must, weight, level) in enumerate(ROLE)
        )  # fmt: skip


def reference(wanted: list[Any], now: datetime) -> list[Any]:
    """Every consenting learner's evidence as core objects, judged from the records (the
    consent, credential and wallet rows, not the index's copies): the engine's input."""
    from collections import defaultdict

    from microcred.core.skills import matching
    from microcred.talent import selectors

    query = selectors._fresh_rows([s.skill for s in wanted], now)
    evidence: dict[int, list[Any]] = defaultdict(list)
    moment = selectors._moment
    for owner, uri, key, name, issuer, issued, until, level, trust, _ in selectors._raw(
        query, *selectors._FIELDS
    ):
        evidence[owner].append(
            matching.Evidence(
                uri, key, name, issuer, moment(issued), until and moment(until), level, trust
            )
        )
    return [matching.Candidate(str(o), "", tuple(e)) for o, e in evidence.items()]


def measure(args: argparse.Namespace, now: datetime) -> dict[str, Any]:
    from _matching_db import fill
    from microcred.core.skills import matching
    from microcred.talent import selectors

    world = World()
    start = time.perf_counter()
    counts = fill(args.learners, seed=args.seed, now=now, world=world)
    fill_s = time.perf_counter() - start
    wanted = selectors.role_skills(world.role)
    selector_s, top = timed(
        lambda: selectors.candidates(world.role, now=now), args.repeat, warm_up=True
    )
    query_s, built = timed(lambda: reference(wanted, now), args.repeat, warm_up=True)
    engine_s, ranked = timed(
        lambda: matching.rank(wanted, built, now=now, limit=50), args.repeat, warm_up=True
    )
    assert [c.match.candidate.key for c in top] == [m.candidate.key for m in ranked]
    return {
        "learners": args.learners,
        "rows": counts,
        "fill_s": fill_s,
        "with_evidence": len(built),
        "ranked": len(matching.rank(wanted, built, now=now)),
        "returned": len(top),
        "selector_s": selector_s,
        "query_s": query_s,
        "engine_s": engine_s,
        "ratio": selector_s / engine_s,
        "peak_bytes": peak(lambda: selectors.candidates(world.role, now=now)),
    }


def report(r: dict[str, Any]) -> None:
    rows = r["rows"]
    print(f"matching through the database: {r['database']}, {r['learners']:,} opted-in learners")
    print(f"rows: {rows['issued']:,} platform credentials, {rows['wallet']:,} imports, "
          f"{rows['held']:,} index rows (filled in {r['fill_s']:.1f} s)")  # fmt: skip
    print("role: 8 skills, 2 must-haves; top 50 explained")
    print(f"candidates with evidence {r['with_evidence']:,}; ranked {r['ranked']:,}; "
          f"returned {r['returned']}")  # fmt: skip
    print(f"selector (candidates)  {r['selector_s'] * 1000:8.1f} ms  (median of {r['repeat']})")
    print(f"query + build          {r['query_s'] * 1000:8.1f} ms  (reference: all, from records)")
    print(f"engine (rank) alone    {r['engine_s'] * 1000:8.1f} ms")
    print(f"selector / engine      {r['ratio']:8.2f} x")
    print(f"peak memory            {r['peak_bytes'] / 2**20:8.1f} MiB (tracemalloc, selector)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = os.environ.get("MICROCRED_DATABASE_URL", "")
    pg = PostgresDatabase(url) if url.startswith("postgres") else None
    with tempfile.TemporaryDirectory(prefix="microcred-mbench-") as tmp:
        try:
            setup_django(pg.url if pg else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", tmp)
            from django.db import connection

            result = measure(args, datetime.now(UTC))
            result.update(database=connection.vendor, repeat=args.repeat)
        finally:
            if pg:
                pg.drop()
    report(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
