"""Run several ``microcred serve`` processes (uvicorn) on loopback against one database."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

from tests.conftest import ROOT

#: every process of one deployment shares the secret key (sessions, CSRF, signed links)
SECRET_KEY = "tests-load-shared-secret-key-" + "s" * 20


ACTORS_SCRIPT = Path(__file__).with_name("_actors.py")


def script_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + str(ROOT)}


def run_actor(command: str, url: str, data_dir: Path, *args: str) -> Any:
    """One ``_actors.py`` command to completion; its last output line, parsed as JSON."""
    done = subprocess.run(
        [sys.executable, str(ACTORS_SCRIPT), command, url, str(data_dir), *args],
        capture_output=True, text=True, env=script_env(), timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(600):
        if process.poll() is not None:
            raise AssertionError(f"microcred serve exited:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"microcred serve did not answer within a minute: {base}")


@contextmanager
def serve(url: str, data_dir: Path, count: int) -> Iterator[list[str]]:
    """``count`` server processes on ``url``'s database; yields their base URLs."""
    env = {
        **os.environ, "PYTHONPATH": str(ROOT / "src"), "MICROCRED_DATABASE_URL": url,
        "MICROCRED_DATA_DIR": str(data_dir), "MICROCRED_ENV": "test",
        "MICROCRED_SECRET_KEY": SECRET_KEY,
    }  # fmt: skip
    started: list[tuple[str, subprocess.Popen[bytes], Path]] = []
    try:
        for number in range(count):
            port, log = _free_port(), data_dir / f"serve-{number}.log"
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [sys.executable, "-m", "microcred", "serve", "--port", str(port)],
                    env=env, stdout=out, stderr=subprocess.STDOUT,
                )  # fmt: skip
            started.append((f"http://127.0.0.1:{port}", process, log))
        for base, process, log in started:
            _wait(base, process, log)
        yield [base for base, _, _ in started]
    finally:
        for _, process, _ in started:
            process.terminate()
        for _, process, _ in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
