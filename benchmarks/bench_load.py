#!/usr/bin/env python
"""Several ``microcred serve`` processes on one PostgreSQL database, issuing and verifying at once.

    python benchmarks/bench_load.py [--processes 1 2 4] [--issues N] [--verifies N]
                                    [--clients C] [--time-limit S] [--database-url URL]
                                    [--quick] [--json FILE]

A database is created on the PostgreSQL server of ``--database-url`` (default
``MICROCRED_TEST_DATABASE_URL``, else ``postgresql://postgres@127.0.0.1:5432/test``), named
after it plus ``_load_<random>``, migrated and seeded once (a did:key provider, a published
definition, an issuer API token and a pool of credentials to verify); each process count runs
on its own copy (``CREATE DATABASE ... TEMPLATE``), and all are dropped afterwards.
``--database-url sqlite`` uses SQLite files instead (the smoke test's fallback; not measured).

For each process count N: N ``microcred serve`` processes (uvicorn, one event loop each) on
127.0.0.1, different ports, sharing the database and the secret key; no proxy (the client
sends request k to process k mod N, what a round-robin proxy does). C client threads (httpx)
run a fixed list of requests, issues (``POST /api/v1/credentials``, each with its own
idempotency key) and verifications (``POST /api/v1/verify``, one credential each: the pool's
and those issued so far) interleaved, under a time limit. Afterwards, in the database: the
credentials issued in the run are exactly those answered 201 (none lost, none twice), with
unique ids and unique status indexes. Any error answer, wrong verdict, lost or duplicated
credential, or request left undone at the time limit fails the run (exit 1).

Reported per N: requests per second overall and per operation, p50 and p99 latency.
Client and servers share the machine (not pinned): read the numbers with its core count.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _timing import machine

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/test"
SECRET_KEY = "bench-load-" + "x" * 40  # shared by every server process, like production
TABLE = "credentials_issuedcredential"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--processes", type=int, nargs="+", help="server process counts (1 2 4)")
    parser.add_argument("--issues", type=int, help="issue requests per run (400; quick 20)")
    parser.add_argument("--verifies", type=int, help="verify requests per run (400; quick 20)")
    parser.add_argument("--clients", type=int, help="client threads (8; quick 4)")
    parser.add_argument("--time-limit", type=float, help="seconds per run (300; quick 120)")
    parser.add_argument("--database-url", help="PostgreSQL server URL, or 'sqlite'")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 and 2 processes")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument("--logs", type=Path, help="keep the server logs in this folder")
    args = parser.parse_args(argv)
    args.processes = args.processes or ([1, 2] if args.quick else [1, 2, 4])
    args.issues = args.issues if args.issues is not None else (20 if args.quick else 400)
    args.verifies = args.verifies if args.verifies is not None else (20 if args.quick else 400)
    args.clients = args.clients or (4 if args.quick else 8)
    args.time_limit = args.time_limit or (120.0 if args.quick else 300.0)
    args.database_url = (
        args.database_url or os.environ.get("MICROCRED_TEST_DATABASE_URL") or DEFAULT_PG
    )
    if not all(1 <= n <= 16 for n in args.processes):
        parser.error("--processes: between 1 and 16 each")
    if not (0 <= args.issues <= 20_000 and 0 <= args.verifies <= 20_000):
        parser.error("--issues and --verifies: between 0 and 20000")
    if args.issues + args.verifies == 0 or not 1 <= args.clients <= 64:
        parser.error("give some requests, and --clients between 1 and 64")
    return args


# -- databases ---------------------------------------------------------------------------
class Databases:
    """A seeded template and one copy per run, on PostgreSQL or (smoke fallback) SQLite."""

    def __init__(self, server: str, folder: Path) -> None:
        self.server, self.folder, self.made = server, folder, []
        self.stem = f"load_{secrets.token_hex(4)}"
        self.template = self.create("template")

    @property
    def postgres(self) -> bool:
        return self.server.startswith(("postgres://", "postgresql://"))

    def _admin(self, sql: str) -> None:
        import psycopg

        base = self.server.rpartition("/")[0]
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(sql)

    def create(self, suffix: str, template: str | None = None) -> str:
        if not self.postgres:
            path = self.folder / f"{self.stem}_{suffix}.sqlite3"
            if template:
                shutil.copy(template.removeprefix("sqlite:///"), path)
            return f"sqlite:///{path}"
        base, _, name = self.server.rpartition("/")
        name = f"{name.split('?')[0]}_{self.stem}_{suffix}"
        copy = f' TEMPLATE "{template.rpartition("/")[2]}"' if template else ""
        self._admin(f'CREATE DATABASE "{name}"{copy}')
        self.made.append(name)
        return f"{base}/{name}"

    def query(self, url: str, sql: str) -> list[tuple[Any, ...]]:
        if self.postgres:
            import psycopg

            with psycopg.connect(url) as conn:
                return conn.execute(sql).fetchall()
        import sqlite3

        with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
            return conn.execute(sql).fetchall()

    def drop_all(self) -> None:
        for name in reversed(self.made):
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(url: str, data_dir: Path) -> dict[str, str]:
    return {
        **os.environ, "PYTHONPATH": str(SRC), "MICROCRED_DATABASE_URL": url,
        "MICROCRED_DATA_DIR": str(data_dir), "MICROCRED_ENV": "test",
        "MICROCRED_SECRET_KEY": SECRET_KEY, "MICROCRED_BASE_URL": "http://127.0.0.1:8000",
    }  # fmt: skip


def seed(pool: int) -> dict[str, Any]:
    """Run in a child process: migrate, then a provider, definition, token and a pool."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from microcred.credentials import services as credentials
    from microcred.providers import services as providers

    call_command("migrate", verbosity=0, interactive=False)
    owner = get_user_model().objects.create_user(username="owner", email="owner@example.com")
    provider = providers.create_provider(
        actor=owner, slug="load", name="Load University", legal_name="Load University B.V.",
        country="NL", did_method="key",
    )  # fmt: skip
    draft = credentials.create_definition(
        actor=owner, provider=provider, slug="sql", name="SQL", description="Queries data.",
        criteria_narrative="Passed the exam.",
    )  # fmt: skip
    definition = credentials.publish(actor=owner, definition=draft)
    _, token = providers.create_api_token(
        actor=owner, provider=provider, name="load", role="issuer"
    )
    documents = [
        credentials.issue_credential(
            actor=owner, definition=definition, recipient_email=f"pool{i}@example.com"
        ).document
        for i in range(pool)
    ]
    return {"token": token, "pool": documents}


# -- servers -----------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_servers(count: int, env: dict[str, str], logs: Path) -> list[tuple[str, Any]]:
    import httpx

    servers = []
    for number in range(count):
        port = free_port()
        log = (logs / f"serve-{count}-{number}.log").open("wb")
        command = [sys.executable, "-m", "microcred", "serve", "--port", str(port)]
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        servers.append((f"http://127.0.0.1:{port}", process))
    for base, process in servers:
        for _ in range(600):
            if process.poll() is not None:
                raise SystemExit(f"bench_load: a server exited (see {logs})")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise SystemExit("bench_load: a server did not start within a minute")
    return servers


def stop_servers(servers: list[tuple[str, Any]]) -> None:
    for _, process in servers:
        process.terminate()
    for _, process in servers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# -- the client --------------------------------------------------------------------------
@dataclass
class Run:
    bases: list[str]
    token: str
    pool: list[dict[str, Any]]
    deadline: float
    issued: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    timings: dict[str, list[float]] = field(default_factory=lambda: {"issue": [], "verify": []})
    errors: list[str] = field(default_factory=list)
    undone: int = 0
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    local: threading.local = field(default_factory=threading.local)

    def client(self) -> Any:
        import httpx

        if not hasattr(self.local, "client"):
            self.local.client = httpx.Client(timeout=120)
        return self.local.client

    def request(self, number: int, operation: str, seq: int) -> None:
        if time.monotonic() > self.deadline:
            with self.lock:
                self.undone += 1
            return
        base = self.bases[number % len(self.bases)]
        if operation == "issue":
            url, body = f"{base}/api/v1/credentials", self._issue_body(seq)
            headers = {"Authorization": f"Bearer {self.token}"}
        else:
            url, body, headers = f"{base}/api/v1/verify", self._verify_body(seq), {}
        start = time.perf_counter()
        response = self.client().post(url, json=body, headers=headers)
        elapsed = time.perf_counter() - start
        self._record(operation, elapsed, response)

    def _issue_body(self, seq: int) -> dict[str, Any]:
        return {"definition": "sql", "recipient_email": f"load{seq}@example.com",
                "idempotency_key": f"load-{seq}"}  # fmt: skip

    def _verify_body(self, seq: int) -> dict[str, Any]:
        with self.lock:  # the pool, then (alternately) the credentials issued so far
            issued = [document for _, document in self.issued[-50:]]
        choices = (issued if seq % 2 and issued else None) or self.pool
        return {"credentials": [choices[seq % len(choices)]]}

    def _record(self, operation: str, elapsed: float, response: Any) -> None:
        expected = 201 if operation == "issue" else 200
        problem = None
        if response.status_code != expected:
            problem = f"{operation}: HTTP {response.status_code}: {response.text[:200]}"
        elif operation == "verify" and response.json()["results"][0]["verdict"] != "valid":
            problem = f"verify: verdict {response.json()['results'][0]['verdict']}"
        with self.lock:
            self.timings[operation].append(elapsed)
            if problem:
                self.errors.append(problem)
            elif operation == "issue":
                body = response.json()
                self.issued.append((body["credential_id"], body["document"]))


def schedule(issues: int, verifies: int) -> list[tuple[str, int]]:
    """Issues and verifications interleaved evenly, each with its own sequence number."""
    total, ops, counts = issues + verifies, [], {"issue": 0, "verify": 0}
    for k in range(total):
        issue = (k + 1) * issues // total > k * issues // total
        operation = "issue" if issue else "verify"
        ops.append((operation, counts[operation]))
        counts[operation] += 1
    return ops


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (no interpolation: a real observed latency)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def drive(args: argparse.Namespace, bases: list[str], seeded: dict[str, Any]) -> Run:
    run = Run(bases, seeded["token"], seeded["pool"], time.monotonic() + args.time_limit)
    # Warm-up: one request of each kind per process (imports, connections, caches).
    for number in range(len(bases)):
        run.request(number, "verify", 0)
    run.timings = {"issue": [], "verify": []}
    ops = schedule(args.issues, args.verifies)
    start = time.perf_counter()
    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(lambda item: run.request(item[0], *item[1]), enumerate(ops)))
    run.seconds = time.perf_counter() - start
    return run


def audit(databases: Databases, url: str, run: Run) -> list[str]:
    """None lost, none twice: the database's run credentials are exactly the 201 answers."""
    rows = databases.query(
        url,
        f"SELECT credential_id, status_list_id, status_index FROM {TABLE} "
        "WHERE recipient_email LIKE 'load%'",
    )
    answered = [cid for cid, _ in run.issued]
    problems = []
    if len(rows) != len(answered) or {r[0] for r in rows} != set(answered):
        problems.append(f"{len(rows)} credentials stored, {len(answered)} answered 201")
    if len({r[0] for r in rows}) != len(rows) or len(set(answered)) != len(answered):
        problems.append("a credential id appears twice")
    everything = databases.query(url, f"SELECT status_list_id, status_index FROM {TABLE}")
    if len(set(everything)) != len(everything):
        problems.append("a status index was handed out twice")
    return problems


def measure(args: argparse.Namespace, databases: Databases, count: int, tmp: Path) -> dict:
    url = databases.create(f"n{count}", databases.template)
    data_dir = tmp / f"data-{count}"
    data_dir.mkdir()
    seeded = json.loads((tmp / "seed.json").read_text(encoding="utf-8"))
    servers = start_servers(count, server_env(url, data_dir), args.logs or tmp)
    try:
        run = drive(args, [base for base, _ in servers], seeded)
    finally:
        stop_servers(servers)
    problems = run.errors[:10] + audit(databases, url, run)
    if run.undone:
        problems.append(f"{run.undone} requests not sent within --time-limit {args.time_limit}s")
    done = sum(len(values) for values in run.timings.values())
    seconds = run.seconds
    result: dict[str, Any] = {"processes": count, "seconds": seconds, "rate": done / seconds}
    for operation, values in run.timings.items():
        if values:
            result[operation] = {
                "requests": len(values), "rate": len(values) / seconds,
                "p50_ms": 1000 * statistics.median(values),
                "p99_ms": 1000 * percentile(values, 0.99),
            }  # fmt: skip
    result["errors"], result["problems"] = len(run.errors), problems
    return result


def report(results: list[dict[str, Any]]) -> list[str]:
    head = (
        f"{'processes':>9} {'req/s':>7} {'issue/s':>8} {'p50 ms':>7} {'p99 ms':>7} "
        f"{'verify/s':>9} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        i = r.get("issue", {"rate": 0, "p50_ms": 0, "p99_ms": 0})
        v = r.get("verify", {"rate": 0, "p50_ms": 0, "p99_ms": 0})
        lines.append(
            f"{r['processes']:>9} {r['rate']:>7.1f} {i['rate']:>8.1f} {i['p50_ms']:>7.1f} "
            f"{i['p99_ms']:>7.1f} {v['rate']:>9.1f} {v['p50_ms']:>7.1f} {v['p99_ms']:>7.1f} "
            f"{r['errors']:>6}"
        )
    return lines


def seed_child(url: str, data_dir: Path, out: Path, pool: int) -> None:
    env = {**server_env(url, data_dir), "DJANGO_SETTINGS_MODULE": "microcred.platform.settings"}
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import bench_load; "
        "open(sys.argv[2], 'w').write(json.dumps(bench_load.seed(int(sys.argv[3]))))"
    )
    command = [sys.executable, "-c", code, str(HERE), str(out), str(pool)]
    if subprocess.run(command, env=env, check=False).returncode != 0:
        raise SystemExit("bench_load: seeding the database failed")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    info = machine()
    print(f"bench_load: {info['cpus']} CPUs ({info['cpu']}), client and servers on 127.0.0.1")
    with tempfile.TemporaryDirectory(prefix="microcred-bench-load-") as folder:
        tmp = Path(folder)
        databases = Databases(args.database_url, tmp)
        try:
            seed_child(databases.template, tmp / "seed-data", tmp / "seed.json", pool=20)
            results = []
            for count in args.processes:
                results.append(measure(args, databases, count, tmp))
                print("\n".join(report(results[-1:])[-1:]), flush=True)
        finally:
            databases.drop_all()
    kind = "PostgreSQL" if databases.postgres else "SQLite (smoke fallback)"
    print(f"\n{args.issues} issues + {args.verifies} verifications, {args.clients} clients, {kind}")
    print("\n".join(report(results)))
    problems = [f"{r['processes']} processes: {p}" for r in results for p in r["problems"]]
    if args.json:
        bounds = {name: getattr(args, name) for name in ("issues", "verifies", "clients")}
        payload = {"machine": info, "database": kind, "bounds": bounds, "results": results}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    for problem in problems:
        print(f"bench_load: FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
