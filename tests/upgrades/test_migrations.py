"""Upgrades keep real data: for every migration of every microcred app, a database at the
schema just before it is filled with realistic rows (historical models), migrated to the
latest schema, and then its rows, their values and the apps' selectors are checked.

A new migration needs an entry in ``UPGRADES`` (what it must keep or fill in); a new model
needs a builder in ``rows.BUILDERS``. Each test fails, naming what to add, until they exist.
SQLite scratch files (the schema path is the same code on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps

from tests.upgrades import rows
from tests.upgrades.harness import (
    copy_database,
    latest,
    microcred_migrations,
    migrate,
    project_plan,
    scratch_database,
    state_at,
    targets_of,
)
from tests.upgrades.rows import CRED_ID, LEARNER, Inserted

pytestmark = pytest.mark.slow


def _model(label: str) -> Any:
    return apps.get_model(label)


def _credential() -> Any:
    return _model("credentials.IssuedCredential").objects.get(credential_id=CRED_ID)


def _status_lists_numbered(done: Inserted) -> None:
    # Its RunPython puts every existing index on the provider's list 1.
    credential, listed = _credential(), done.rows["credentials.StatusList"]
    assert credential.status_list_id == listed.pk
    assert _model("credentials.StatusList").objects.get(pk=listed.pk).number == 1


def _purpose_defaults(done: Inserted) -> None:
    definition = _model("credentials.MicroCredentialDefinition").objects.get()
    assert definition.status_purpose == "revocation"


def _no_image_yet(done: Inserted) -> None:
    definition = _model("credentials.MicroCredentialDefinition").objects.get()
    assert bytes(definition.image) == b"" and definition.image_type == ""


def _rows_unclaimed(done: Inserted) -> None:
    row = _model("bulk.BulkRow").objects.get()
    assert row.claimed_by == "" and row.claimed_until is None and row.state == "issued"


def _key_not_compromised(done: Inserted) -> None:
    assert _model("providers.ProviderKey").objects.get().compromised_at is None


def _cache_works(done: Inserted) -> None:
    from django.core.cache import cache

    cache.set("upgrade-check", 1)
    assert cache.get("upgrade-check") == 1


def _held_skills_denormalised(done: Inserted) -> None:
    # Its RunPython copies usability (the wallet copy it rests on is valid), the public flag
    # (that copy is public) and the consent's scope ("all") onto each existing row.
    held = _model("talent.HeldSkill").objects.get()
    assert (held.usable, held.public, held.scope_all) == (True, True, True)


def _nothing_more(done: Inserted) -> None:
    """New tables only: the generic checks (every row, every value, selectors) cover it."""


# (app, migration) -> what it must do to a database that holds data.
UPGRADES: dict[tuple[str, str], Callable[[Inserted], None]] = {
    ("providers", "0001_initial"): _nothing_more,
    ("providers", "0002_apitoken"): _nothing_more,
    ("providers", "0003_providerkey_compromised_at"): _key_not_compromised,
    ("credentials", "0001_initial"): _nothing_more,
    ("credentials", "0002_definition_status_purpose"): _purpose_defaults,
    ("credentials", "0003_status_list_numbers"): _status_lists_numbered,
    ("credentials", "0004_definition_image"): _no_image_yet,
    ("credentials", "0005_page_views"): _nothing_more,
    ("bulk", "0001_initial"): _nothing_more,
    ("bulk", "0002_alter_bulkjob_state"): _nothing_more,
    ("bulk", "0003_row_claims"): _rows_unclaimed,
    ("delivery", "0001_initial"): _nothing_more,
    ("obapi", "0001_initial"): _nothing_more,
    ("verification", "0001_initial"): _nothing_more,
    ("wallet", "0001_initial"): _nothing_more,
    ("sharing", "0001_initial"): _nothing_more,
    ("portability", "0001_initial"): _nothing_more,
    ("pathways", "0001_initial"): _nothing_more,
    ("skills", "0001_initial"): _nothing_more,
    ("talent", "0001_initial"): _nothing_more,
    ("talent", "0002_learner_goal"): _nothing_more,
    ("talent", "0003_held_skill_denormalised"): _held_skills_denormalised,
    ("platform", "0001_cache_table"): _cache_works,
}

MIGRATIONS = microcred_migrations()
FIRST = {("providers", "0001_initial"), ("credentials", "0001_initial")}


def test_every_migration_has_an_upgrade_check() -> None:
    missing = [f"{app}.{name}" for app, name in MIGRATIONS if (app, name) not in UPGRADES]
    assert not missing, f"add an entry to UPGRADES in {__file__} for: {', '.join(missing)}"
    assert len(MIGRATIONS) >= 22


def _values_kept(done: Inserted) -> int:
    """Every row written before the upgrade is there with the values it was given."""
    checked = 0
    for label, given in done.values.items():
        assert _model(label).objects.count() == 1, f"{label}: rows lost or added"
        row = _model(label).objects.get(pk=done.rows[label].pk)
        for name, value in given.items():
            kept = getattr(row, f"{name}_id" if hasattr(value, "_meta") else name)
            expected = value.pk if hasattr(value, "_meta") else value
            kept = bytes(kept) if isinstance(kept, memoryview) else kept
            assert kept == expected, f"{label}.{name} changed in the upgrade"
            checked += 1
    return checked


def _selectors_read(done: Inserted) -> None:
    """The apps' read paths work on the upgraded rows (a missing column would raise)."""
    from django.contrib.auth import get_user_model

    from microcred.credentials import selectors as credentials
    from microcred.providers import selectors as providers
    from microcred.sharing import selectors as sharing
    from microcred.talent import goals
    from microcred.verification import selectors as verification
    from microcred.wallet import selectors as wallet

    user = get_user_model().objects.get(email=LEARNER)
    provider = providers.provider_by_slug("tu-delft")
    assert providers.role_of(user, provider) == "owner"
    assert [c.credential_id for c in credentials.credentials_of(provider)] == [CRED_ID]
    assert credentials.latest_definition(provider, "data-cleaning").version == 1
    assert len(list(providers.audit_events(provider))) >= 1
    if "wallet.WalletCredential" in done.rows:
        assert any(e.key for e in wallet.wallet_of(user))
    if "sharing.Profile" in done.rows:
        assert sharing.profile_of(user).handle == "ana-de-vries"
    if "verification.TrustedIssuerDid" in done.rows:
        assert verification.lookup(rows.DID) is not None
    if "talent.LearnerGoal" in done.rows:
        goal = goals.goal_of(user)
        assert goal is not None and goal.occupation.uri == rows.OCCUPATION_URI


@pytest.fixture(scope="session")
def snapshots(tmp_path_factory: pytest.TempPathFactory, django_db_blocker: Any) -> Path:
    """One SQLite file per microcred migration M, at the schema just before M (one pass)."""
    folder = tmp_path_factory.mktemp("schema-snapshots")
    plan = project_plan()
    with django_db_blocker.unblock(), scratch_database(folder / "build.sqlite3") as conn:
        for node in MIGRATIONS:
            migrate(conn, targets_of(plan[: plan.index(node)]))
            conn.close()
            copy_database(folder / "build.sqlite3", folder / f"{node[0]}.{node[1]}.sqlite3")
    return folder


@pytest.mark.parametrize("migration", MIGRATIONS, ids=lambda m: f"{m[0]}.{m[1]}")
def test_upgrade_keeps_data(
    migration: tuple[str, str], snapshots: Path, tmp_path: Path, django_db_blocker: Any
) -> None:
    check = UPGRADES.get(migration)
    assert check is not None, f"add {migration} to UPGRADES in {__file__}"
    plan = project_plan()
    before = state_at(targets_of(plan[: plan.index(migration)]))
    database = tmp_path / "db.sqlite3"
    copy_database(snapshots / f"{migration[0]}.{migration[1]}.sqlite3", database)
    with django_db_blocker.unblock(), scratch_database(database) as conn:
        missing = rows.missing_builders(before.apps)
        assert not missing, f"add row builders to tests/upgrades/rows.py for: {missing}"
        done = rows.insert(before.apps)
        latest(conn)
        kept = _values_kept(done)
        # Only the first providers/credentials migrations come before any credential table.
        if migration not in FIRST:
            assert kept >= 40
            _selectors_read(done)
        check(done)
