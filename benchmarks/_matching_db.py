"""Fill a fresh, migrated database with opted-in learners for `bench_matching_db.py`.

Fast on purpose: the rows are written with raw ``executemany`` in one transaction (no
model instances, no signals, no signing), with ids chosen here so rows can point at each
other. What the selector reads is real: users, ``MatchingConsent``, ``IssuedCredential``
and ``WalletCredential`` rows (state, verdict, ``is_public``) and the ``HeldSkill`` index
(its copies of state, public flag and scope as ``talent.hooks`` keeps them).

Per learner (seeded, so every run holds the same data): 1-4 platform credentials asserting
3-12 skills in all (1-4 per credential) from a 300-skill taxonomy with a popularity skew,
levels 2-7 (some unstated), issued up to 10 years ago; 1 in 25 credentials revoked and 1 in
100 suspended after they were indexed; 1 in 20 expired; 1 in 5 learners also imported a
credential from elsewhere (trust 0.5 or 1.0; 1 in 10 of those last checked invalid);
1 in 10 learners show only public credentials (half their imports public).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

SKILLS = 300
BATCH = 20_000


def skill_uri(i: int) -> str:
    return f"urn:bench:skill:{i}"


def popular(rnd: random.Random) -> int:
    return min(int(rnd.paretovariate(0.8)) - 1, SKILLS - 1)


@dataclass
class Rows:
    users: list[tuple[Any, ...]] = field(default_factory=list)
    consents: list[tuple[Any, ...]] = field(default_factory=list)
    issued: list[tuple[Any, ...]] = field(default_factory=list)
    wallet: list[tuple[Any, ...]] = field(default_factory=list)
    held: list[tuple[Any, ...]] = field(default_factory=list)


class _Dates:
    """Database values of day-granular datetimes, adapted once each (there are few)."""

    def __init__(self, connection: Any, now: datetime) -> None:
        self.ops, self.now, self.cache = connection.ops, now, {}  # type: dict[int, Any]

    def days_ago(self, days: int) -> Any:
        if days not in self.cache:
            value = self.now - timedelta(days=days)
            self.cache[days] = self.ops.adapt_datetimefield_value(value)
        return self.cache[days]


def _skills_per_credential(rnd: random.Random) -> list[list[int]]:
    total, credentials = rnd.randint(3, 12), rnd.randint(1, 4)
    picked: list[int] = []
    while len(picked) < total:
        skill = popular(rnd)
        if skill not in picked:
            picked.append(skill)
    cuts = sorted(rnd.sample(range(1, total), min(credentials, total) - 1))
    return [picked[a:b] for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def _held(rows: Rows, owner: int, skills: list[int], link: tuple[Any, ...],
          shown: tuple[bool, bool, bool]) -> None:  # fmt: skip
    """``shown``: the index's copies (usable, public, scope_all) as the hooks keep them."""
    key, issued_id, wallet_id, name, issuer, trust, issued_at, until, level = link
    for skill in skills:
        rows.held.append(
            (owner, skill_uri(skill), level, issued_at, until, key, issued_id, wallet_id,
             name, issuer, trust, *shown)
        )  # fmt: skip


def learner(rows: Rows, rnd: random.Random, ids: dict[str, int], dates: _Dates, world: Any) -> None:
    """One learner's user, consent, credentials and index rows."""
    owner = ids["user"] = ids["user"] + 1
    joined = dates.days_ago(rnd.randrange(1, 3650))
    rows.users.append((owner, "!", False, f"bench{owner}", "", "", f"bench{owner}@example.com",
                       False, True, joined))  # fmt: skip
    public_only = rnd.random() < 0.1
    rows.consents.append((owner, True, "public" if public_only else "all", "", False, joined))
    for skills in _skills_per_credential(rnd):
        pk = ids["issued"] = ids["issued"] + 1
        roll = rnd.random()
        state = "revoked" if roll < 0.04 else "suspended" if roll < 0.05 else "active"
        days = rnd.randrange(1, 3650)
        issued_at = dates.days_ago(days)
        until = dates.days_ago(1) if rnd.random() < 0.05 else None
        level = rnd.randint(2, 7) if rnd.random() < 0.9 else None
        cid = str(uuid.UUID(int=rnd.getrandbits(128)))
        rows.issued.append((pk, world.provider_id, world.definition_id, f"urn:uuid:{cid}",
                            "{}", state, issued_at, "", "", "", ""))  # fmt: skip
        name = f"Credential {skills[0]}"
        link = ("c" + cid, pk, None, name, "Bench Academy", 1.0, issued_at, until, level)
        _held(rows, owner, skills, link, (state == "active", False, not public_only))
    if rnd.random() < 0.2:
        _import(rows, rnd, ids, dates, owner, public_only)


def _import(
    rows: Rows, rnd: random.Random, ids: dict[str, int], dates: _Dates, owner: int, public: bool
) -> None:
    pk = ids["wallet"] = ids["wallet"] + 1
    verdict = "invalid" if rnd.random() < 0.1 else "valid"
    issued_at = dates.days_ago(rnd.randrange(1, 3650))
    is_public = public and rnd.random() < 0.5
    rows.wallet.append((pk, owner, "upload", "ob3-json", "{}", f"sha256:{pk}", verdict,
                        issued_at, is_public, "{}", issued_at, "", b"", ""))  # fmt: skip
    trust = 1.0 if rnd.random() < 0.5 else 0.5
    skills = list({popular(rnd) for _ in range(rnd.randint(1, 3))})
    level = rnd.randint(2, 7)
    link = (f"w{pk}", None, pk, "Imported badge", "Elsewhere", trust, issued_at, None, level)
    _held(rows, owner, skills, link, (verdict == "valid", is_public, not public))


def _insert(cursor: Any, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]],
            json_columns: Iterable[str] = (), vendor: str = "sqlite") -> None:  # fmt: skip
    cast = "::jsonb" if vendor == "postgresql" else ""
    marks = ", ".join("%s" + (cast if c in json_columns else "") for c in columns)
    sql = f'INSERT INTO "{table}" ({", ".join(columns)}) VALUES ({marks})'
    for start in range(0, len(rows), BATCH):
        cursor.executemany(sql, rows[start : start + BATCH])


def write(rows: Rows, connection: Any) -> None:
    from django.contrib.auth import get_user_model

    from microcred.credentials.models import IssuedCredential
    from microcred.talent.models import HeldSkill, MatchingConsent
    from microcred.wallet.models import WalletCredential

    vendor = connection.vendor
    tables = [
        (get_user_model(), ("id", "password", "is_superuser", "username", "first_name",
                            "last_name", "email", "is_staff", "is_active", "date_joined"),
         rows.users, ()),
        (MatchingConsent, ("owner_id", "opted_in", "scope", "display_name", "show_contact",
                           "updated_at"), rows.consents, ()),
        (IssuedCredential, ("id", "provider_id", "definition_id", "credential_id", "document",
                            "state", "issued_at", "recipient_email", "recipient_email_hash",
                            "recipient_did", "reason"), rows.issued, ("document",)),
        (WalletCredential, ("id", "owner_id", "source", "format", "document", "dedupe_key",
                            "verdict", "verified_at", "is_public", "report", "added_at",
                            "source_name", "original", "credential_id"),
         rows.wallet, ("document", "report")),
        (HeldSkill, ("owner_id", "skill_uri", "level", "issued_at", "valid_until",
                     "credential_key", "issued_id", "wallet_id", "credential_name",
                     "issuer_name", "trust", "usable", "public", "scope_all"), rows.held, ()),
    ]  # fmt: skip
    with connection.cursor() as cursor:
        for model, columns, data, json_columns in tables:
            _insert(cursor, model._meta.db_table, columns, data, json_columns, vendor)
        if vendor == "postgresql":
            from django.core.management.color import no_style

            models = [t[0] for t in tables]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def fill(learners: int, *, seed: int, now: datetime, world: Any) -> dict[str, int]:
    """Write ``learners`` opted-in learners; returns how many rows of each kind."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from microcred.credentials.models import IssuedCredential
    from microcred.wallet.models import WalletCredential

    rnd, rows, dates = random.Random(seed), Rows(), _Dates(connection, now)
    ids = {
        "user": _max_id(get_user_model()),
        "issued": _max_id(IssuedCredential),
        "wallet": _max_id(WalletCredential),
    }
    for _ in range(learners):
        learner(rows, rnd, ids, dates, world)
    with transaction.atomic():
        write(rows, connection)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {name: len(getattr(rows, name)) for name in ("users", "issued", "wallet", "held")}


def _max_id(model: Any) -> int:
    from django.db.models import Max

    return int(model.objects.aggregate(top=Max("id"))["top"] or 0)
