"""One measured run of `bench_issuing.py` on one database, in its own process.

Django's settings read ``MICROCRED_DATABASE_URL`` once, at import, so the parent starts this
module once per database (``python _issuing.py URL ROWS RESULT.json [--profile N]``); the
database must exist and be empty. What it does, all through the services a provider's
requests and jobs go through:

1. ``migrate``; a user; providers with did:key identities; a published definition each.
2. Warm-up: a few credentials on a provider of their own (contexts loaded, caches filled).
3. ``single``: ``issue_credential`` called ``rows`` times, one learner each (idempotency key,
   status index, build, sign, store, audit), on a fresh provider.
4. ``bulk``: a generated CSV of ``rows`` learners through ``create_job`` + ``run_job`` on
   another fresh provider (its own status list: one list holds 131,072 indexes).
5. ``engine``: the credentials each path stored, proof removed, signed again with
   ``BatchSigner`` (eddsa-rdfc-2022, the provider's key): the engine alone on exactly the
   platform's credentials. Only the ``sign`` calls are timed.

``--paths single,bulk`` chooses the paths (100,000 one by one takes a long while).

Memory: the process's current resident set size (``/proc/self/statm``) at 10%, 50% and 100%
of each path's rows, and the peak (``getrusage``) at the end.
"""

from __future__ import annotations

import cProfile
import io
import json
import os
import pstats
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHECKPOINTS = (0.1, 0.5, 1.0)
WARM_UP = 5
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mib() -> float:
    """Current resident set size (not the peak), so growth after a checkpoint shows."""
    statm = Path("/proc/self/statm")
    if statm.is_file():
        return int(statm.read_text().split()[1]) * PAGE / 2**20
    return peak_mib()


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def marks(rows: int) -> list[int]:
    """Row counts at which memory is sampled (10%, 50%, 100%), at least 1 each."""
    return [max(1, round(rows * share)) for share in CHECKPOINTS]


def setup_django(url: str, data_dir: str) -> None:
    os.environ["MICROCRED_DATABASE_URL"] = url
    os.environ["MICROCRED_ENV"] = "test"  # DEBUG off: Django keeps no query log
    os.environ["MICROCRED_DATA_DIR"] = data_dir
    os.environ["DJANGO_SETTINGS_MODULE"] = "microcred.platform.settings"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def make_world(names: list[str]) -> tuple[Any, dict[str, Any]]:
    """One owner and, per name, a did:key provider with one published definition."""
    from django.contrib.auth import get_user_model

    from microcred.credentials import services as credentials
    from microcred.providers import services as providers

    owner = get_user_model().objects.create_user(username="bench", email="bench@example.com")
    definitions = {}
    for name in names:
        provider = providers.create_provider(
            actor=owner, slug=f"bench-{name}", name=f"Bench {name}",
            legal_name=f"Bench {name} B.V.", country="NL", did_method="key",
        )  # fmt: skip
        draft = credentials.create_definition(
            actor=owner, provider=provider, slug="sql-basics", name="SQL Basics",
            description="SQL Basics: a 3 ECTS micro-credential at EQF level 5.",
            criteria_narrative="Passed the assessed project and the final exam.",
            learning_outcomes=["Write queries that filter, join and aggregate data"],
            expiry_months=None,
        )  # fmt: skip
        definitions[name] = credentials.publish(actor=owner, definition=draft)
    return owner, definitions


def issue_one(owner: Any, definition: Any, i: int) -> Any:
    from microcred.credentials.issuing import issue_credential

    return issue_credential(
        actor=owner,
        definition=definition,
        recipient_email=f"learner{i}@example.com",
        idempotency_key=f"bench:{i}",
    )


def run_single(owner: Any, definition: Any, rows: int) -> dict[str, Any]:
    samples, at = [], marks(rows)
    start = time.perf_counter()
    for i in range(rows):
        issue_one(owner, definition, i)
        if i + 1 in at:
            elapsed = time.perf_counter() - start
            samples.append({"rows": i + 1, "rss_mib": rss_mib(), "seconds": elapsed})
    seconds = time.perf_counter() - start
    return {"rows": rows, "seconds": seconds, "memory": samples}


def csv_bytes(rows: int) -> bytes:
    lines = ["email,result,idempotency_key"]
    lines += [f"learner{i}@example.com,Pass,bench-bulk:{i}" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def run_bulk(owner: Any, definition: Any, rows: int) -> dict[str, Any]:
    from microcred.bulk.services import create_job, run_job

    data = csv_bytes(rows)
    samples: list[dict[str, Any]] = []
    pending = marks(rows)

    def progress(job: Any) -> None:
        done = job.issued + job.skipped + job.failed
        while pending and done >= pending[0]:
            elapsed = time.perf_counter() - start
            sample = {"rows": pending.pop(0), "at_rows": done, "rss_mib": rss_mib()}
            samples.append({**sample, "seconds": elapsed})

    start = time.perf_counter()
    job = create_job(actor=owner, definition=definition, csv_bytes=data, filename="bench.csv")
    created = time.perf_counter()
    job = run_job(job.pk, on_progress=progress)
    seconds = time.perf_counter() - start
    if job.issued != rows or job.failed:
        raise SystemExit(f"bulk job: {job.issued} issued, {job.failed} failed of {rows}")
    return {
        "rows": rows,
        "seconds": seconds,
        "create_job_seconds": created - start,
        "memory": samples,
    }


def run_engine(definition: Any, rows: int) -> dict[str, Any]:
    """BatchSigner over the credentials the single path stored (proof removed)."""
    from microcred.core.crypto.suites.base import BatchSigner
    from microcred.credentials.issuing import SUITE
    from microcred.credentials.models import IssuedCredential
    from microcred.providers.services import signing_key

    signer = BatchSigner(signing_key(definition.provider), suite=SUITE)
    query = IssuedCredential.objects.filter(definition=definition).order_by("pk")
    seconds, count = 0.0, 0
    for document in query.values_list("document", flat=True).iterator(chunk_size=1000):
        unsigned = {key: value for key, value in document.items() if key != "proof"}
        begin = time.perf_counter()
        signer.sign(unsigned)
        seconds += time.perf_counter() - begin
        count += 1
    if count != rows:
        raise SystemExit(f"engine: found {count} stored credentials, expected {rows}")
    return {"rows": rows, "seconds": seconds}


def profile_single(owner: Any, definition: Any, rows: int, top: int = 30) -> str:
    """cProfile of ``rows`` single issues: the top functions by own time and by cumulative."""
    profiler = cProfile.Profile()
    profiler.enable()
    for i in range(rows):
        issue_one(owner, definition, 10_000_000 + i)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def timed(label: str, step: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    print(f"  {label} …", file=sys.stderr, flush=True)
    result = step()
    print(f"  {label}: {result['seconds']:.1f} s", file=sys.stderr, flush=True)
    return result


def options(argv: list[str]) -> tuple[int, list[str]]:
    """``--profile N`` and ``--paths a,b`` after the three positional arguments."""
    flags = dict(zip(argv[3::2], argv[4::2], strict=False))
    return int(flags.get("--profile", 0)), flags.get("--paths", "single,bulk").split(",")


def main(argv: list[str]) -> int:
    url, rows, out = argv[0], int(argv[1]), Path(argv[2])
    profile, paths = options(argv)
    setup_django(url, str(out.parent))
    owner, defs = make_world(["warm", "single", "bulk", "profile"])
    for i in range(WARM_UP):
        issue_one(owner, defs["warm"], i)
    result: dict[str, Any] = {"rss_after_setup_mib": rss_mib(), "paths": paths}
    runners = {"single": run_single, "bulk": run_bulk}
    for path in paths:
        result[path] = timed(path, lambda: runners[path](owner, defs[path], rows))  # noqa: B023
        engine = timed(f"engine ({path})", lambda: run_engine(defs[path], rows))  # noqa: B023
        result[path]["engine_seconds"] = engine["seconds"]
        result.setdefault("engine", engine)
    result["peak_rss_mib"] = peak_mib()
    if profile:
        result["profile"] = profile_single(owner, defs["profile"], profile)
    from django.db import connection

    connection.close()
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
