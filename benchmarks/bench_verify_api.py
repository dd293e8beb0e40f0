#!/usr/bin/env python
"""Verification throughput of ``POST /api/v1/verify`` against a local server, next to the
engine's own verify rate (``verify_document`` in-process) on the same credentials, same run.

    python benchmarks/bench_verify_api.py [--credentials N] [--batches 100 1000]
                                          [--repeat R] [--quick] [--json FILE]

A fresh SQLite database (temporary directory) is migrated and N credentials are issued by a
did:key provider through a bulk job (eddsa-rdfc-2022, each with a revocation status entry).
A server process (uvicorn on 127.0.0.1 with the platform's ASGI application and settings,
the per-address rate budget off) answers the API; this process is the client (httpx, one
connection, requests one after another). Measured, each ``--repeat`` times, median reported:

- engine, fresh options: ``verify_document`` with new ``VerifyOptions`` per credential (no
  key or status-list reuse: what one single-credential request gets);
- engine, one options: ``verify_document`` over all N with one ``VerifyOptions`` (a batch);
- API, 1 per request: N requests with one credential each;
- API, B per request: N / B requests of B credentials each, for each B in ``--batches``.

The engine reads the status list from memory; the API's server reads it from its database
(this platform's own lists are never fetched over HTTP). Every answer must say ``valid``
for every credential, or the run fails. Client and server share the machine (not pinned).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from _timing import machine

HERE = Path(__file__).resolve().parent


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--credentials", type=int, help="credentials issued (1000; quick 100)")
    parser.add_argument("--batches", type=int, nargs="+", help="batch sizes (100 1000)")
    parser.add_argument("--repeat", type=int, help="repetitions, median reported (3; quick 1)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 100 credentials")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    parser.add_argument(
        "--serve", nargs=3, metavar=("URL", "DATA_DIR", "PORT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    args.credentials = args.credentials or (100 if args.quick else 1000)
    args.batches = args.batches or ([10, 100] if args.quick else [100, 1000])
    args.repeat = args.repeat or (1 if args.quick else 3)
    if not 1 <= args.credentials <= 20_000:
        parser.error("--credentials must be between 1 and 20000")
    if any(b < 1 or b > min(1000, args.credentials) for b in args.batches):
        parser.error("each batch size must be between 1 and min(1000, --credentials)")
    return args


def setup_django(url: str, data_dir: str) -> None:
    os.environ.update(
        MICROCRED_DATABASE_URL=url, MICROCRED_ENV="test", MICROCRED_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="microcred.platform.settings",
    )  # fmt: skip
    import django

    django.setup()


def serve(url: str, data_dir: str, port: int) -> None:
    """The server process: the platform under uvicorn, minus the per-address budget."""
    setup_django(url, data_dir)
    import uvicorn
    from django.conf import settings

    from microcred.platform.asgi import application

    settings.MICROCRED_VERIFY_RATE_PER_MINUTE = 0
    uvicorn.run(application, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def issue(count: int) -> list[dict[str, Any]]:
    """N credentials of one did:key provider, issued by a bulk job."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from microcred.bulk.services import create_job, run_job
    from microcred.credentials import services as credentials
    from microcred.credentials.models import IssuedCredential
    from microcred.providers import services as providers

    call_command("migrate", verbosity=0, interactive=False)
    owner = get_user_model().objects.create_user(username="bench", email="bench@example.com")
    provider = providers.create_provider(
        actor=owner, slug="bench", name="Bench University", legal_name="Bench University B.V.",
        country="NL", did_method="key",
    )  # fmt: skip
    draft = credentials.create_definition(
        actor=owner, provider=provider, slug="sql-basics", name="SQL Basics",
        description="Queries relational data.", criteria_narrative="Passed the exam.",
    )  # fmt: skip
    definition = credentials.publish(actor=owner, definition=draft)
    rows = "email\n" + "".join(f"learner{i}@example.com\n" for i in range(count))
    job = create_job(actor=owner, definition=definition, csv_bytes=rows.encode(), filename="b.csv")
    run_job(job.pk)
    return [row.document for row in IssuedCredential.objects.order_by("pk")]


def timed(work: Callable[[], int]) -> tuple[float, int]:
    start = time.perf_counter()
    count = work()
    return time.perf_counter() - start, count


def engine_runs(documents: list[dict[str, Any]]) -> dict[str, Callable[[], int]]:
    from microcred.core.verify.fetcher import StaticFetcher
    from microcred.core.verify.verifier import VerifyOptions, verify_document
    from microcred.credentials.selectors import platform_fetcher

    bodies = platform_fetcher(documents[0])  # the status list, as the server would serve it

    def fresh() -> int:
        for document in documents:
            options = VerifyOptions(fetcher=StaticFetcher(dict(bodies._documents)))
            assert verify_document(document, name="c", options=options).verified
        return len(documents)

    def shared() -> int:
        options = VerifyOptions(fetcher=bodies)
        for document in documents:
            assert verify_document(document, name="c", options=options).verified
        return len(documents)

    return {
        "engine: verify_document, fresh options": fresh,
        "engine: verify_document, one options": shared,
    }


def api_run(
    client: Any, base: str, documents: list[dict[str, Any]], size: int
) -> Callable[[], int]:
    def run() -> int:
        for start in range(0, len(documents), size):
            chunk = documents[start : start + size]
            response = client.post(f"{base}/api/v1/verify", json={"credentials": chunk})
            if response.status_code != 200:
                raise SystemExit(
                    f"bench_verify_api: HTTP {response.status_code}: {response.text[:300]}"
                )
            verdicts = {entry["verdict"] for entry in response.json()["results"]}
            if verdicts != {"valid"}:
                raise SystemExit(f"bench_verify_api: unexpected verdicts {verdicts}")
        return len(documents)

    return run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(base: str, server: subprocess.Popen[bytes]) -> None:
    import httpx

    for _ in range(300):
        if server.poll() is not None:
            raise SystemExit("bench_verify_api: the server process exited")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit("bench_verify_api: the server did not start")


def measure(args: argparse.Namespace, url: str, data_dir: str) -> dict[str, Any]:
    import httpx

    setup_django(url, data_dir)
    documents = issue(args.credentials)
    port = free_port()
    command = [sys.executable, str(Path(__file__).resolve()), "--serve", url, data_dir, str(port)]
    env = {**os.environ, "PYTHONPATH": str(HERE.parent / "src")}
    server = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base, server)
        with httpx.Client(timeout=600) as client:
            runs = engine_runs(documents)
            runs["API: 1 credential per request"] = api_run(client, base, documents, 1)
            for size in args.batches:
                runs[f"API: {size:,} credentials per request"] = api_run(
                    client, base, documents, size
                )
            runs[next(iter(runs))]()  # warm-up: contexts, caches, connections
            api_run(client, base, documents[:2], 2)()
            seconds: dict[str, list[float]] = {name: [] for name in runs}
            for _ in range(args.repeat):
                for name, work in runs.items():
                    elapsed, _count = timed(work)
                    seconds[name].append(elapsed)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "credentials": len(documents),
        "results": {
            name: {
                "seconds": statistics.median(values),
                "runs_s": values,
                "rate": len(documents) / statistics.median(values),
            }
            for name, values in seconds.items()
        },
    }


def report(result: dict[str, Any]) -> list[str]:
    results = result["results"]
    engine = results["engine: verify_document, one options"]["rate"]
    head = f"{'path':<44} {'seconds':>8} {'cred/s':>8} {'ms/cred':>8} {'x engine':>9}"
    lines = [
        f"{result['credentials']:,} credentials (eddsa-rdfc-2022, did:key, status list)",
        "",
        head,
        "-" * len(head),
    ]
    for name, measured in results.items():
        rate = measured["rate"]
        lines.append(
            f"{name:<44} {measured['seconds']:>8.2f} {rate:>8.0f} {1000 / rate:>8.3f} {rate / engine:>9.2f}"
        )
    lines += ["", "x engine: rate / the engine's rate with one options (a batch), same run"]
    return lines


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.serve:
        url, data_dir, port = args.serve
        serve(url, data_dir, int(port))
        return 0
    print("bench_verify_api: client and server processes on 127.0.0.1 (not pinned)", flush=True)
    with tempfile.TemporaryDirectory(prefix="microcred-bench-verify-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        result = measure(args, url, tmp)
    print("\n".join(["", *report(result)]), flush=True)
    if args.json:
        payload = {"machine": machine(), "repeat": args.repeat, **result}
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
