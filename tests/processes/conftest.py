"""A harness for tests with real processes: a database of the test's own (a SQLite file in
a temporary folder, or, when MICROCRED_DATABASE_URL names PostgreSQL, a database named
after it with a unique suffix), `microcred worker` subprocesses to start and SIGKILL, and
``actions.py`` to seed and inspect the database from a subprocess.

Migrating takes seconds, so it happens once per session: later databases are copies (the
SQLite file) or ``CREATE DATABASE ... TEMPLATE`` (PostgreSQL).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

HERE = Path(__file__).parent
TIMEOUT = 90.0  # seconds any one step may take (generous: CI machines are shared)


def _pg_base() -> str | None:
    url = os.environ.get("MICROCRED_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg_admin(sql: str) -> None:
    import psycopg

    base = _pg_base()
    assert base is not None
    with psycopg.connect(_with_db(base, "postgres"), autocommit=True) as connection:
        connection.execute(sql)


def _env(data_dir: Path, database_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MICROCRED_", "PYTEST"))}
    env.update(
        MICROCRED_ENV="test",
        MICROCRED_DATA_DIR=str(data_dir),
        MICROCRED_DATABASE_URL=database_url,
        PYTHONUNBUFFERED="1",
    )
    env.update(extra)
    return env


@dataclass
class World:
    """One test's database, and the processes started against it."""

    data_dir: Path
    database_url: str
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        return _env(self.data_dir, self.database_url, **extra)

    def action(self, *args: str, pause: str = "", check: bool = True) -> dict[str, Any]:
        """Run ``actions.py ARGS`` to the end; its JSON answer."""
        extra = {"MICROCRED_TEST_PAUSE_AT": pause} if pause else {}
        done = subprocess.run(
            [sys.executable, str(HERE / "actions.py"), *args],
            env=self.env(**extra),
            capture_output=True,
            timeout=TIMEOUT * 2,  # "wait" polls for up to TIMEOUT itself
        )
        if check and done.returncode != 0:
            raise AssertionError(f"actions.py {args} failed:\n{done.stderr.decode()[-3000:]}")
        lines = done.stdout.decode().strip().splitlines()
        return dict(json.loads(lines[-1])) if lines else {}

    def start(self, argv: list[str], name: str, pause: str = "") -> subprocess.Popen[bytes]:
        """Start a process with its stderr in ``<data_dir>/<name>.log``."""
        extra = {"MICROCRED_TEST_PAUSE_AT": pause} if pause else {}
        log = (self.data_dir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            argv, env=self.env(**extra), stdout=log, stderr=subprocess.STDOUT, cwd=self.data_dir
        )
        self.processes.append(process)
        return process

    def worker(self, worker_id: str, pause: str = "") -> subprocess.Popen[bytes]:
        argv = [sys.executable, "-m", "microcred", "worker", "--worker-id", worker_id]
        argv += ["--interval", "0.1", "--recover-every", "1"]
        return self.start(argv, worker_id, pause)

    def actor(self, name: str, *args: str, pause: str = "") -> subprocess.Popen[bytes]:
        return self.start([sys.executable, str(HERE / "actions.py"), *args], name, pause)

    def log(self, name: str) -> str:
        return (self.data_dir / f"{name}.log").read_text(errors="replace")

    def wait_paused(self, name: str, process: subprocess.Popen[bytes]) -> None:
        """Until the process says it paused (it sleeps there until killed)."""
        deadline = time.monotonic() + TIMEOUT
        while "paused at" not in self.log(name):
            if process.poll() is not None:
                raise AssertionError(f"{name} ended before pausing:\n{self.log(name)[-3000:]}")
            if time.monotonic() > deadline:
                raise AssertionError(f"{name} did not pause:\n{self.log(name)[-3000:]}")
            time.sleep(0.05)

    @staticmethod
    def kill(process: subprocess.Popen[bytes]) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self) -> None:
        """Kill what is still running: the test has its answers, nothing to shut down nicely."""
        for process in self.processes:
            if process.poll() is None:
                self.kill(process)


def _prepare(data_dir: Path, database_url: str) -> None:
    """Migrate and seed (actions.seed) a database."""
    subprocess.run(
        [sys.executable, "-m", "microcred", "db", "upgrade"],
        env=_env(data_dir, database_url),
        check=True,
        capture_output=True,
        timeout=180,
    )
    World(data_dir, database_url).action("seed")


@pytest.fixture(scope="session")
def _template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A migrated and seeded database to copy: a SQLite file's path, or a PostgreSQL database's name."""
    folder = tmp_path_factory.mktemp("template")
    base = _pg_base()
    if base is None:
        path = folder / "microcred.sqlite3"
        _prepare(folder, f"sqlite:///{path}")
        yield str(path)
        return
    name = f"{urlsplit(base).path.lstrip('/')}_proc_tpl_{uuid.uuid4().hex[:8]}"
    _pg_admin(f'CREATE DATABASE "{name}"')
    try:
        _prepare(folder, _with_db(base, name))
        yield name
    finally:
        _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def world(_template: str, tmp_path: Path) -> Iterator[World]:
    base = _pg_base()
    if base is None:
        path = tmp_path / "microcred.sqlite3"
        shutil.copyfile(_template, path)
        found = World(tmp_path, f"sqlite:///{path}")
    else:
        name = f"{urlsplit(base).path.lstrip('/')}_proc_{uuid.uuid4().hex[:8]}"
        _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{_template}"')
        found = World(tmp_path, _with_db(base, name))
    try:
        yield found
    finally:
        found.stop_all()
        if base is not None:
            _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
