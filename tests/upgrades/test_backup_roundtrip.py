"""`microcred backup` then `restore` into a fresh database gives back every row of every table,
every column equal. On SQLite always; on PostgreSQL (pg_dump/pg_restore) when
MICROCRED_DATABASE_URL names one (the restore goes to a database of its own, dropped after)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.db.utils import load_backend

from microcred.platform import backups
from tests.upgrades.world import empty_models, fill_every_model

pytestmark = [pytest.mark.storage, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fresh_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings of an empty database of the same engine as the test database."""
    settings = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        settings["NAME"] = str(tmp_path / "restored.sqlite3")
        yield settings
        return
    settings["NAME"] = f"{settings['NAME']}_r{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{settings["NAME"]}"')
    try:
        yield settings
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings["NAME"]}" WITH (FORCE)')


def rows(conn: Any, model: Any) -> list[tuple[Any, ...]]:
    """Every row of the model's table, all columns, in primary-key order."""
    quote = conn.ops.quote_name
    columns = ", ".join(quote(field.column) for field in model._meta.concrete_fields)
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {pk}")
        return [tuple(bytes(v) if isinstance(v, memoryview) else v for v in r) for r in cursor]


def test_every_table_survives_backup_and_restore(
    tmp_path: Path, fresh_database: dict[str, Any]
) -> None:
    fill_every_model()
    assert empty_models() == [], "give these models a row in tests/upgrades/world.py"
    file = tmp_path / "platform.backup"

    made = backups.backup(file)
    assert made.migrations > 0 and made.pending == 0
    backups.restore(file, database=fresh_database)

    restored = load_backend(fresh_database["ENGINE"]).DatabaseWrapper(fresh_database, "restored")
    try:
        models = apps.get_models(include_auto_created=True)
        for model in models:
            before, after = rows(connection, model), rows(restored, model)
            assert before, model._meta.label
            assert after == before, f"{model._meta.db_table} differs after the restore"
    finally:
        restored.close()
    assert len(models) >= 59  # every app's tables were compared, not a few
