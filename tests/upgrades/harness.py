"""Migrating a scratch SQLite database to any state of the migration graph.

The state "before migration M" is every migration that comes before M in the project plan
(one dependency-respecting order of the whole graph): a real earlier schema, built once per
test session as a snapshot file per microcred migration, then copied for each test.

``scratch_database`` swaps Django's default connection for one on a fresh file while a test
runs (historical models, RunPython steps such as ``createcachetable`` and the apps' selectors
all use the default alias), and puts the real one back afterwards.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.state import ProjectState
from django.db.utils import load_backend

Node = tuple[str, str]


def _microcred(app_label: str) -> bool:
    from django.apps import apps

    try:
        return apps.get_app_config(app_label).name.startswith("microcred.")
    except LookupError:
        return False


def microcred_migrations() -> list[Node]:
    """Every migration of a microcred app, in the project plan's order."""
    return [node for node in project_plan() if _microcred(node[0])]


def project_plan() -> list[Node]:
    """Every migration of the project in one dependency-respecting order."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan: list[Node] = []
    for leaf in sorted(graph.leaf_nodes()):
        plan += [n for n in graph.forwards_plan(leaf) if n not in plan]
    return plan


def targets_of(prefix: list[Node]) -> list[Node]:
    """Per app, the newest migration in ``prefix`` (a dependency-closed start of the plan)."""
    newest: dict[str, Node] = {}
    for node in prefix:
        newest[node[0]] = node  # the plan lists each app's migrations oldest first
    return sorted(newest.values())


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of an SQLite file (the online backup API)."""
    with (
        contextlib.closing(sqlite3.connect(source)) as src,
        contextlib.closing(sqlite3.connect(target)) as dst,
    ):
        src.backup(dst)


@contextlib.contextmanager
def scratch_database(path: Path) -> Iterator[Any]:
    """A fresh SQLite file as the default connection while the block runs."""
    settings = dict(connections[DEFAULT_DB_ALIAS].settings_dict)
    settings.update(ENGINE="django.db.backends.sqlite3", NAME=str(path), TEST={})
    settings["OPTIONS"] = {"transaction_mode": "IMMEDIATE"}
    scratch = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, DEFAULT_DB_ALIAS)
    original = connections[DEFAULT_DB_ALIAS]
    connections[DEFAULT_DB_ALIAS] = scratch
    try:
        yield scratch
    finally:
        scratch.close()
        connections[DEFAULT_DB_ALIAS] = original


def migrate(conn: Any, targets: list[Node]) -> None:
    """Apply the migrations up to ``targets`` that the database lacks."""
    MigrationExecutor(conn).migrate(targets)


def state_at(targets: list[Node]) -> ProjectState:
    """The schema (historical models) after ``targets``."""
    return MigrationLoader(None, ignore_no_migrations=True).project_state(targets)


def latest(conn: Any) -> None:
    executor = MigrationExecutor(conn)
    executor.migrate(executor.loader.graph.leaf_nodes())
