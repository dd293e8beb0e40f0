"""`microcred backup` / `restore` as an operator runs them, and every refusal: one line on
stderr, exit 2, the configured database untouched."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from microcred.platform import backups

SQLITE = "django.db.backends.sqlite3"


def microcred(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "MICROCRED_DATABASE_URL"}
    env.update(MICROCRED_DATA_DIR=str(data), PYTHONWARNINGS="ignore")
    return subprocess.run(
        [sys.executable, "-m", "microcred", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def migrations_in(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        return conn.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()


def fake_database(path: Path, migrations: list[tuple[str, str]] | None) -> Path:
    """An SQLite file with the given rows in a django_migrations table (None: no table)."""
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (text TEXT)")
        if migrations is not None:
            conn.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name)")
            conn.executemany("INSERT INTO django_migrations (app, name) VALUES (?, ?)", migrations)
    return path


@pytest.mark.slow
def test_backup_then_restore_into_a_new_data_folder(tmp_path: Path) -> None:
    live, fresh = tmp_path / "live", tmp_path / "fresh"
    assert microcred(live, "db", "upgrade").returncode == 0
    # The live database is one release behind: restoring its backup upgrades the schema.
    assert microcred(live, "manage", "migrate", "talent", "0001_initial").returncode == 0
    file = tmp_path / "nightly.sqlite3"

    made = microcred(live, "backup", str(file))
    assert made.returncode == 0, made.stderr
    assert "MICROCRED_KEY_ENCRYPTION_KEY" in made.stdout
    assert oct(file.stat().st_mode & 0o777) == "0o600"  # password hashes, sealed keys
    again = microcred(live, "backup", str(file))
    assert again.returncode == 2 and "--force" in again.stderr and "Traceback" not in again.stderr

    restored = microcred(fresh, "restore", str(file))
    assert restored.returncode == 0, restored.stderr
    assert "upgrading the schema" in restored.stdout
    before, after = (
        migrations_in(live / "microcred.sqlite3"),
        migrations_in(fresh / "microcred.sqlite3"),
    )
    assert ("talent", "0002_learner_goal") in set(after) - set(before)
    assert set(before) < set(after)

    # A database is there now: replacing it takes --force.
    refused = microcred(fresh, "restore", str(file))
    assert refused.returncode == 2 and "--force" in refused.stderr
    assert microcred(fresh, "restore", "--force", str(file)).returncode == 0


@pytest.mark.parametrize(
    ("migrations", "message"),
    [
        (None, "no migration table"),
        ([("auth", "0001_initial")], "not a microcred database"),
        (
            [("providers", "0001_initial"), ("providers", "0999_from_the_future")],
            "newer microcred (unknown migrations: providers.0999_from_the_future)",
        ),
    ],
)
def test_restore_refuses_what_it_cannot_use(
    tmp_path: Path, migrations: list[tuple[str, str]] | None, message: str
) -> None:
    target = tmp_path / "microcred.sqlite3"
    file = fake_database(tmp_path / "other.sqlite3", migrations)
    with pytest.raises(backups.BackupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        backups.restore(file, database={"ENGINE": SQLITE, "NAME": str(target)})
    assert not target.exists()


def test_backup_never_overwrites_the_live_database(tmp_path: Path) -> None:
    live = fake_database(tmp_path / "microcred.sqlite3", [("providers", "0001_initial")])
    with pytest.raises(backups.BackupError, match="the configured database itself"):
        backups.backup(live, force=True, database={"ENGINE": SQLITE, "NAME": str(live)})
    assert migrations_in(live) == [("providers", "0001_initial")]


def test_restore_refuses_a_file_that_is_no_database(tmp_path: Path) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("not a backup\n")
    with pytest.raises(backups.BackupError, match="not a microcred backup"):
        backups.restore(file, database={"ENGINE": SQLITE, "NAME": str(tmp_path / "db")})


def test_restore_refuses_an_sqlite_backup_on_postgresql(tmp_path: Path) -> None:
    file = fake_database(tmp_path / "b.sqlite3", [("providers", "0001_initial")])
    postgres = {"ENGINE": "django.db.backends.postgresql", "NAME": "microcred"}
    with pytest.raises(backups.BackupError, match="SQLite backup, but the configured database"):
        backups.restore(file, database=postgres)


def test_without_pg_dump_the_error_gives_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(backups.shutil, "which", lambda name: None)
    postgres = {
        "ENGINE": "django.db.backends.postgresql", "NAME": "microcred", "HOST": "db.internal",
        "PORT": 5432, "USER": "microcred", "PASSWORD": "s3cret-password",
    }  # fmt: skip
    with pytest.raises(backups.BackupError) as refused:
        backups.backup(tmp_path / "x.dump", database=postgres)
    text = str(refused.value)
    assert "apt-get install postgresql-client" in text
    assert "PGHOST=db.internal PGPORT=5432 PGUSER=microcred" in text
    assert "pg_dump -Fc --no-owner --no-acl -d microcred -f FILE" in text
    assert "s3cret-password" not in text
    assert not (tmp_path / "x.dump").exists()


def test_backup_is_consistent_while_a_write_is_under_way(tmp_path: Path) -> None:
    """A transaction still open in another process is not in the backup, and the backup
    does not wait for it (WAL, as the platform runs SQLite)."""
    live = tmp_path / "live.sqlite3"
    with sqlite3.connect(live) as setup:
        setup.execute("PRAGMA journal_mode=WAL")
        setup.execute("CREATE TABLE django_migrations (id INTEGER PRIMARY KEY, app, name)")
        setup.execute(
            "INSERT INTO django_migrations (app, name) VALUES ('providers', '0001_initial')"
        )
    writer = sqlite3.connect(live, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        "INSERT INTO django_migrations (app, name) VALUES ('providers', '0002_apitoken')"
    )
    try:
        done = backups.backup(
            tmp_path / "b.sqlite3", database={"ENGINE": SQLITE, "NAME": str(live)}
        )
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert migrations_in(done.file) == [("providers", "0001_initial")]
    assert done.migrations == 1 and done.pending > 0
    assert not Path(f"{done.file}-wal").exists()  # one self-contained file
