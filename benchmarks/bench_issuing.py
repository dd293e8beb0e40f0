#!/usr/bin/env python
"""Issuing through the platform, end to end, next to the engine's signing rate in the same run.

    python benchmarks/bench_issuing.py [--rows N ...] [--database sqlite|postgresql|both]
                                       [--quick] [--json FILE] [--profile N]

For each database and row count, a fresh database (a temporary SQLite file, or a database
``microcred_bench_<pid>`` created on the PostgreSQL server of ``MICROCRED_TEST_DATABASE_URL``,
default ``postgresql://postgres@127.0.0.1:5432/test``, and dropped afterwards) is migrated and
N credentials are issued through the services: (a) ``issue_credential`` one by one, (b) a bulk
job (``create_job`` + ``run_job``) from a generated CSV. In the same process the engine alone
(``BatchSigner``, eddsa-rdfc-2022, the provider's key) signs the very credentials the platform
stored, proof removed. Each run is its own process (Django reads the database URL once),
pinned to one core like ``bench_proofs.py``; the database server is not pinned.

    overhead share = (platform time - engine signing time) / platform time      target < 30%

Memory: resident set size at 10%, 50% and 100% of the rows of each path; flat means the
growth from 10% to 100% stays small and does not scale with the rows.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from _timing import machine, pin_to_one_core

HERE = Path(__file__).resolve().parent
TARGET = 0.30
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
PATHS = (("single", "issue_credential, one by one"), ("bulk", "bulk job (create_job + run_job)"))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", help="credentials per path (10000)")
    parser.add_argument(
        "--database", choices=("sqlite", "postgresql", "both"), help="default: both (quick: sqlite)"
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: 50 rows")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--profile", type=int, default=0, help="cProfile N more single issues")
    parser.add_argument(
        "--paths", default="single,bulk", help="which paths, comma-separated (single,bulk)"
    )
    args = parser.parse_args(argv)
    if not set(args.paths.split(",")) <= {name for name, _ in PATHS}:
        parser.error("--paths takes single and/or bulk, comma-separated")
    args.rows = args.rows or ([50] if args.quick else [10_000])
    args.database = args.database or ("sqlite" if args.quick else "both")
    if min(args.rows) < 1 or max(args.rows) > 130_000:
        parser.error("--rows must be between 1 and 130000 (one status list per provider)")
    return args


def _pg_admin_url() -> str:
    return os.environ.get("MICROCRED_TEST_DATABASE_URL") or DEFAULT_PG


class PostgresDatabase:
    """A dedicated, empty database on the test server, dropped on exit."""

    def __init__(self) -> None:
        import psycopg

        self.admin = _pg_admin_url()
        self.name = f"microcred_bench_{os.getpid()}"
        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            conn.execute(f'CREATE DATABASE "{self.name}"')
        base, _, _ = self.admin.rpartition("/")
        self.url = f"{base}/{self.name}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run_one(database: str, rows: int, profile: int, paths: str) -> dict[str, Any]:
    """One child process on a fresh database; returns its measurements."""
    with tempfile.TemporaryDirectory(prefix="microcred-bench-") as tmp:
        pg = PostgresDatabase() if database == "postgresql" else None
        url = pg.url if pg else f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        out = Path(tmp) / "result.json"
        command = [sys.executable, str(HERE / "_issuing.py"), url, str(rows), str(out)]
        command += ["--profile", str(profile)] if profile else []
        command += ["--paths", paths]
        env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
        try:
            done = subprocess.run(command, env=env, check=False)
        finally:
            if pg:
                pg.drop()
        if done.returncode != 0 or not out.is_file():
            raise SystemExit(f"bench_issuing: the {database} run failed ({done.returncode})")
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    result.update(database=database, rows=rows)
    return result


def derive(result: dict[str, Any]) -> None:
    """Rates and overhead shares, added to ``result`` in place."""
    engine = result["engine"]
    engine["rate"] = engine["rows"] / engine["seconds"]
    for name in result["paths"]:
        path = result[name]
        path["rate"] = path["rows"] / path["seconds"]
        # The engine alone, signing the very credentials this path stored.
        engine_time = path.get("engine_seconds", path["rows"] / engine["rate"])
        path["engine_rate"] = path["rows"] / engine_time
        path["overhead"] = (path["seconds"] - engine_time) / path["seconds"]
        memory = path["memory"]
        path["rss_growth_mib"] = memory[-1]["rss_mib"] - memory[0]["rss_mib"]


def pace(name: str, samples: list[dict[str, Any]]) -> str | None:
    """Credentials per second between the memory samples: does issuing slow down as rows grow?"""
    if not all("seconds" in m for m in samples):
        return None
    rows, seconds, parts = 0, 0.0, []
    for m in samples:
        done = m.get("at_rows", m["rows"])
        if m["seconds"] > seconds and done > rows:
            parts.append(f"{rows:,}-{done:,}: {(done - rows) / (m['seconds'] - seconds):.0f}")
        rows, seconds = done, m["seconds"]
    return f"pace   {name:<6} cred/s over rows {', '.join(parts)}"


def report(result: dict[str, Any]) -> list[str]:
    db, rows, ran = result["database"], result["rows"], result["paths"]
    labels = dict(PATHS)
    lines = [f"{db}, {rows:,} credentials per path", ""]
    head = f"{'path':<40} {'seconds':>9} {'cred/s':>8} {'ms/cred':>8} {'overhead':>9}"
    lines += [head, "-" * len(head)]
    for name in ran:
        path = result[name]
        engine_seconds = path["rows"] / path["engine_rate"]
        lines.append(
            f"{'engine: BatchSigner eddsa-rdfc-2022':<40} {engine_seconds:>9.2f} "
            f"{path['engine_rate']:>8.0f} {1000 / path['engine_rate']:>8.3f} {'':>9}"
        )
        lines.append(
            f"{labels[name]:<40} {path['seconds']:>9.2f} {path['rate']:>8.0f} "
            f"{1000 / path['rate']:>8.3f} {path['overhead']:>8.0%}"
        )
    lines.append("")
    for name in ran:
        path = result[name]
        samples = ", ".join(
            f"{m.get('at_rows', m['rows']):,}: {m['rss_mib']:.1f}" for m in path["memory"]
        )
        lines.append(
            f"memory {name:<6} RSS MiB at rows {samples} (growth 10%->100%: "
            f"{path['rss_growth_mib']:+.1f} MiB)"
        )
    lines.append(f"peak RSS {result['peak_rss_mib']:.1f} MiB")
    lines += [line for name in ran if (line := pace(name, result[name]["memory"]))]
    for name in ran:
        share = result[name]["overhead"]
        verdict = "PASS" if share < TARGET else "MISS"
        lines.append(
            f"{verdict}  {db} {name}: platform overhead {share:.0%} of the total "
            f"(target < {TARGET:.0%})"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    databases = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    pinned = pin_to_one_core()  # the children inherit the affinity
    print(f"bench_issuing: {pinned}; overhead share = (platform - engine) / platform")
    results = []
    for database in databases:
        for rows in args.rows:
            print(f"running {database}, {rows:,} rows …", file=sys.stderr, flush=True)
            result = run_one(database, rows, args.profile, args.paths)
            derive(result)
            results.append(result)
            print("\n".join(["", *report(result)]), flush=True)
            if result.get("profile"):
                print(f"\ncProfile of {args.profile} single issues:\n{result['profile']}")
    if args.json:
        payload = {"machine": {**machine(), "affinity": pinned}, "results": results}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
