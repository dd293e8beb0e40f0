"""Scratch databases for tests that run real processes: a file SQLite database (WAL) in a
temporary folder, or, when ``MICROCRED_DATABASE_URL`` names a PostgreSQL server (the
``storage`` rerun of ``make test``), a fresh database on it named after that URL's database
plus a purpose and a random suffix (never shared by two runs), dropped afterwards."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def postgres_url() -> str | None:
    url = os.environ.get("MICROCRED_DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


@contextmanager
def postgres_database(server_url: str, purpose: str) -> Iterator[str]:
    """A new database on ``server_url``'s server; yields its URL, drops it on exit."""
    import psycopg

    base, _, name = server_url.rpartition("/")
    name = f"{name.split('?')[0]}_{purpose}_{secrets.token_hex(4)}"
    admin = f"{base}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def scratch_database(folder: Path, purpose: str) -> Iterator[str]:
    """PostgreSQL when the environment names it, else a SQLite file in ``folder``."""
    server = postgres_url()
    if server is None:
        yield f"sqlite:///{folder / f'{purpose}.sqlite3'}"
        return
    with postgres_database(server, purpose) as url:
        yield url
