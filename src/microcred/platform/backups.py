"""The operator's backup of the whole platform database: `microcred backup` and `restore`.

Decisions (documented in docs/operations.md, "Backup and restore"):

- SQLite: the online backup API (``sqlite3.Connection.backup``) copies a consistent snapshot
  while ``serve`` and workers keep running; the file is written beside the target and renamed,
  so a crash never leaves half a backup. A restore copies the backup *into* the configured
  database with the same API, under SQLite's own lock, so no stale ``-wal`` file can survive.
- PostgreSQL: ``pg_dump -Fc`` / ``pg_restore --clean --if-exists --single-transaction`` when
  those programs are installed (same major version as the server); otherwise the error names
  the exact commands to run. The password is passed in the environment, never on the command line.
- A restore first checks that the file is a microcred database whose schema this version knows
  (every applied migration of an installed app exists here; a backup from a newer microcred is
  refused), refuses to overwrite a database that holds tables unless ``force``, and leaves the
  schema upgrade to ``microcred db upgrade`` (the CLI runs it right after).
- Nothing here touches the key-encryption key: it is backed up apart from the database.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from microcred.core.errors import MicrocredError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
PG_FLAGS = ("--no-owner", "--no-acl")
NAMES = {"sqlite3": "SQLite", "postgresql": "PostgreSQL"}


class BackupError(MicrocredError):
    """A backup or restore that cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Outcome:
    """What a backup or restore did, for the command's report."""

    database: str  # the configured database (file path or PostgreSQL name)
    file: Path
    migrations: int  # microcred migrations applied in the file
    pending: int  # migrations this version has that the file lacks (restore: `db upgrade` applies)


def _settings(database: dict[str, Any] | None) -> dict[str, Any]:
    if database is not None:
        return database
    from django.db import connections

    return dict(connections["default"].settings_dict)


def _engine(database: dict[str, Any]) -> str:
    engine = str(database.get("ENGINE", ""))
    for kind in ("sqlite3", "postgresql"):
        if engine.endswith(kind):
            return kind
    raise BackupError(f"database engine {engine!r}: only SQLite and PostgreSQL can be backed up")


def backup(file: Path, *, force: bool = False, database: dict[str, Any] | None = None) -> Outcome:
    """Write a consistent copy of the configured database to ``file``."""
    db = _settings(database)
    if file.is_dir():
        raise BackupError(f"{file}: is a directory; give the backup file's name")
    if (
        _engine(db) == "sqlite3"
        and file.exists()
        and file.resolve() == Path(str(db["NAME"])).resolve()
    ):
        raise BackupError(f"{file}: this is the configured database itself")
    if file.exists() and not force:
        raise BackupError(f"{file}: already exists; pass --force to overwrite it")
    if not file.parent.is_dir():
        raise BackupError(f"{file.parent}: no such directory")
    partial = file.with_name(f".{file.name}.partial")
    if _engine(db) == "sqlite3":
        _sqlite_backup(str(db["NAME"]), partial)
    else:
        _pg_dump(db, partial)
    partial.replace(file)
    applied = read_applied(file, db)
    return Outcome(str(db["NAME"]), file, len(applied), len(pending_migrations(applied)))


def restore(file: Path, *, force: bool = False, database: dict[str, Any] | None = None) -> Outcome:
    """Replace the configured database with the backup ``file`` (checked first)."""
    db = _settings(database)
    if not file.is_file():
        raise BackupError(f"{file}: no such backup file")
    engine, kind = _engine(db), file_kind(file)
    if kind != engine:
        raise BackupError(
            f"{file}: a {NAMES[kind]} backup, but the configured database is {NAMES[engine]} "
            "(moving between them: docs/operations.md, section 5)"
        )
    applied = read_applied(file, db)
    check_schema(applied, file)
    if engine == "sqlite3":
        _sqlite_restore(file, str(db["NAME"]), force=force)
    else:
        _pg_restore(file, db, force=force)
    return Outcome(str(db["NAME"]), file, len(applied), len(pending_migrations(applied)))


# --- schema versions -------------------------------------------------------------------------


def _known() -> tuple[set[str], set[tuple[str, str]]]:
    """The installed apps' labels and every migration this version ships."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {app.label for app in apps.get_app_configs()}, set(loader.disk_migrations)


def _is_microcred(app_label: str) -> bool:
    from django.apps import apps

    try:
        return apps.get_app_config(app_label).name.startswith("microcred.")
    except LookupError:
        return False


def check_schema(applied: set[tuple[str, str]], file: Path) -> None:
    """Refuse a file that is not a microcred database or comes from a newer version."""
    if not any(_is_microcred(app) for app, _ in applied):
        raise BackupError(f"{file}: not a microcred database (no microcred migrations recorded)")
    labels, known = _known()
    unknown = sorted(f"{a}.{n}" for a, n in applied if a in labels and (a, n) not in known)
    if unknown:
        raise BackupError(
            f"{file}: made by a newer microcred (unknown migrations: {', '.join(unknown[:5])}); "
            "install that version or a later one, then restore"
        )


def pending_migrations(applied: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """This version's migrations of microcred apps that ``applied`` lacks."""
    _, known = _known()
    return sorted(m for m in known - applied if _is_microcred(m[0]))


def file_kind(file: Path) -> str:
    """``sqlite3`` or ``postgresql``: which database a backup file is for."""
    with file.open("rb") as handle:
        head = handle.read(16)
    if head.startswith(SQLITE_MAGIC):
        return "sqlite3"
    if head.startswith(PGDUMP_MAGIC):
        return "postgresql"
    raise BackupError(
        f"{file}: not a microcred backup (neither an SQLite database nor a pg_dump -Fc archive)"
    )


def read_applied(file: Path, database: dict[str, Any]) -> set[tuple[str, str]]:
    """The (app, migration) pairs recorded in a backup file."""
    if file_kind(file) == "postgresql":
        return _pg_applied(file, database)
    with _sqlite(file, check=True) as conn:
        try:
            rows = conn.execute("SELECT app, name FROM django_migrations").fetchall()
        except sqlite3.DatabaseError:
            raise BackupError(f"{file}: not a microcred database (no migration table)") from None
    return {(str(a), str(n)) for a, n in rows}


# --- SQLite ----------------------------------------------------------------------------------


def _is_uri(name: str) -> bool:
    """An SQLite URI (the test runner's shared in-memory database is one)."""
    return name.startswith("file:")


@contextlib.contextmanager
def _sqlite(path: Path | str, *, check: bool = False) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(str(path), timeout=30, uri=_is_uri(str(path)))
    try:
        if check and conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
            raise BackupError(f"{path}: the SQLite file is damaged (quick_check failed)")
        yield conn
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: {exc}") from None
    finally:
        conn.close()


def _sqlite_backup(source: str, partial: Path) -> None:
    if not _is_uri(source) and not Path(source).is_file():
        raise BackupError(f"{source}: no database here yet (run `microcred db upgrade` first)")
    partial.unlink(missing_ok=True)
    with _sqlite(source) as src, _sqlite(partial) as dst:
        src.backup(dst)  # one step: a consistent snapshot under a read lock
        # A single self-contained file: no -wal beside it to forget.
        dst.execute("PRAGMA journal_mode=DELETE")
    partial.chmod(0o600)  # it holds password hashes and sealed keys


def _sqlite_restore(file: Path, name: str, *, force: bool) -> None:
    if _is_uri(name):
        _sqlite_copy(file, name)
        return
    target = Path(name)
    if target.exists() and target.resolve() == file.resolve():
        raise BackupError(f"{file}: this is the configured database itself")
    if target.exists() and target.stat().st_size and not force:
        raise BackupError(
            f"{target}: a database is already there; stop `serve` and the workers, keep a "
            "backup of it, then pass --force to replace it"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    _sqlite_copy(file, name)


def _sqlite_copy(file: Path, name: str) -> None:
    with _sqlite(file, check=True) as src, _sqlite(name) as dst:
        # Into the live file under SQLite's lock: other connections see the restored pages.
        src.backup(dst)


# --- PostgreSQL ------------------------------------------------------------------------------


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[var] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return env


def _pg_target(db: dict[str, Any]) -> str:
    parts = [f"{var}={db[key]}" for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"))]
    parts += [f"PGUSER={db['USER']}"] if db.get("USER") else []
    return " ".join(p for p in parts if not p.endswith("=")) + " PGPASSWORD=..."


def _tool(name: str, db: dict[str, Any], command: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed here (Debian: apt-get install postgresql-client, the "
            f"server's major version). Or run it where it is:\n  {_pg_target(db)} {command}"
        )
    return found


def _run(argv: list[str], db: dict[str, Any]) -> str:
    done = subprocess.run(argv, env=_pg_env(db), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        lines = [line for line in done.stderr.splitlines() if line.strip()]
        raise BackupError(f"{Path(argv[0]).name} failed: {' '.join(lines[-3:]) or 'no message'}")
    return done.stdout


def _pg_dump(db: dict[str, Any], partial: Path) -> None:
    name = str(db["NAME"])
    tool = _tool("pg_dump", db, f"pg_dump -Fc --no-owner --no-acl -d {name} -f FILE")
    _run([tool, "-Fc", *PG_FLAGS, "-d", name, "-f", str(partial)], db)


def _pg_applied(file: Path, db: dict[str, Any]) -> set[tuple[str, str]]:
    tool = _tool("pg_restore", db, f"pg_restore -a -t django_migrations -f - {file}")
    text = _run([tool, "-a", "-t", "django_migrations", "-f", "-", str(file)], db)
    rows, copying = set(), False
    for line in text.splitlines():
        if copying and line == "\\.":
            break
        if copying:
            fields = line.split("\t")
            rows.add((fields[1], fields[2]))
        copying = copying or bool(re.match(r"COPY \S*django_migrations \(id, app, name", line))
    return rows


def _pg_restore(file: Path, db: dict[str, Any], *, force: bool) -> None:
    name = str(db["NAME"])
    command = f"pg_restore --clean --if-exists --no-owner --no-acl --single-transaction -d {name}"
    tool = _tool("pg_restore", db, f"{command} {file}")
    if _pg_tables(db) and not force:
        raise BackupError(
            f"database {name!r} already holds tables; stop `serve` and the workers, keep a "
            "backup of it, then pass --force to replace it"
        )
    _run(
        [tool, "--clean", "--if-exists", *PG_FLAGS, "--single-transaction", "-d", name, str(file)],
        db,
    )


def _pg_tables(db: dict[str, Any]) -> list[str]:
    from django.db.utils import load_backend

    conn = load_backend(db["ENGINE"]).DatabaseWrapper(db, alias="microcred-restore")
    try:
        with conn.cursor() as cursor:
            return list(conn.introspection.table_names(cursor))
    except Exception as exc:  # the driver's own error types; the message is what matters
        raise BackupError(f"database {db['NAME']!r}: {exc}".strip()) from None
    finally:
        conn.close()
