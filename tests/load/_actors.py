"""One process of the status-list concurrency test (run as a script, never imported by pytest).

    python tests/load/_actors.py setup DATABASE_URL DATA_DIR SEEDED
    python tests/load/_actors.py work DATABASE_URL DATA_DIR NUMBER ACTORS ITERATIONS GO_FILE
    python tests/load/_actors.py check DATABASE_URL DATA_DIR
    python tests/load/_actors.py account DATABASE_URL DATA_DIR EMAIL PASSWORD

``setup`` migrates, creates a did:key provider (owner ``owner@example.com``) with one published
definition (revocation list) and issues SEEDED credentials. ``work`` (actor NUMBER of ACTORS)
prints ``ready``, waits for GO_FILE, then for ITERATIONS rounds issues one credential and
revokes one: a seeded credential whose position is NUMBER modulo ACTORS while there are any,
then every other credential it issued itself; and on the suspension list issues one, suspends
it, and lifts every third suspension again (bits set and cleared). It prints one JSON line
of what it did and exits non-zero on any error (nothing is caught: a ``database is locked`` would fail the test).
``check`` prints JSON: every credential's state, index and bit in the signed, decoded list.
``account`` migrates and creates a user who can sign in (verified email, password).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path
from typing import Any

OWNER = "owner@example.com"


def setup_django(url: str, data_dir: str) -> None:
    os.environ.update(
        MICROCRED_DATABASE_URL=url, MICROCRED_ENV="test", MICROCRED_DATA_DIR=data_dir,
        DJANGO_SETTINGS_MODULE="microcred.platform.settings",
    )  # fmt: skip
    import django

    django.setup()


def setup(seeded: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from microcred.credentials import services as credentials
    from microcred.providers import services as providers

    call_command("migrate", verbosity=0, interactive=False)
    owner = get_user_model().objects.create_user(username="owner", email=OWNER)
    provider = providers.create_provider(
        actor=owner, slug="race", name="Race University", legal_name="Race University B.V.",
        country="NL", did_method="key",
    )  # fmt: skip
    draft = credentials.create_definition(
        actor=owner, provider=provider, slug="sql", name="SQL", description="Queries data.",
        criteria_narrative="Passed the exam.",
    )  # fmt: skip
    definition = credentials.publish(actor=owner, definition=draft)
    suspendable = credentials.create_definition(
        actor=owner, provider=provider, slug="sql-s", name="SQL (suspendable)",
        description="Queries data.", criteria_narrative="Passed.", status_purpose="suspension",
    )  # fmt: skip
    credentials.publish(actor=owner, definition=suspendable)
    issued = [
        credentials.issue_credential(
            actor=owner, definition=definition, recipient_email=f"seed{i}@example.com"
        ).credential_id
        for i in range(seeded)
    ]
    return {"seeded": issued}


def work(number: int, actors: int, iterations: int, go: Path) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from microcred.credentials import services as credentials
    from microcred.credentials.models import IssuedCredential, MicroCredentialDefinition

    owner = get_user_model().objects.get(email=OWNER)
    definitions = MicroCredentialDefinition.objects.select_related("provider")
    definition, suspendable = definitions.get(slug="sql"), definitions.get(slug="sql-s")
    seeded = IssuedCredential.objects.filter(recipient_email__startswith="seed").order_by("pk")
    mine = [row for position, row in enumerate(seeded) if position % actors == number]
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.005)
    issued, revoked, suspended = [], [], set()
    for i in range(iterations):
        row = credentials.issue_credential(
            actor=owner, definition=definition, recipient_email=f"a{number}-{i}@example.com"
        )
        issued.append(row.credential_id)
        target = mine.pop() if mine else (row if i % 2 else None)
        if target is not None:
            credentials.revoke(actor=owner, credential=target, reason=f"round {i}")
            revoked.append(target.credential_id)
        # The suspension list: set a bit each round, clear every third one again.
        held = credentials.issue_credential(
            actor=owner, definition=suspendable, recipient_email=f"s{number}-{i}@example.com"
        )
        issued.append(held.credential_id)
        credentials.suspend(actor=owner, credential=held, reason=f"round {i}")
        suspended.add(held.credential_id)
        if i % 3 == 0:
            credentials.unsuspend(actor=owner, credential=held)
            suspended.discard(held.credential_id)
    return {"issued": issued, "revoked": revoked, "suspended": sorted(suspended)}


def check() -> dict[str, Any]:
    from microcred.core.crypto.statuslist import StatusList as Bits
    from microcred.credentials import statuslists
    from microcred.credentials.models import IssuedCredential, StatusList
    from microcred.providers.models import AuditEvent

    lists = {}
    for row in StatusList.objects.select_related("provider"):
        encoded = statuslists.signed_list(row)["credentialSubject"]["encodedList"]
        lists[row.pk] = (Bits.decode(encoded), Bits(bytes(row.allocated)))
    credentials = []
    for row in IssuedCredential.objects.order_by("pk"):
        bits, allocated = lists[row.status_list_id]
        index = row.status_index if row.status_index is not None else row.suspension_index
        credentials.append(
            {"id": row.credential_id, "state": row.state, "list": row.status_list_id,
             "index": index, "bit": bits.get(index), "allocated": allocated.get(index)}
        )  # fmt: skip
    allocated_total = sum(int.from_bytes(a.bits, "big").bit_count() for _, a in lists.values())
    events = AuditEvent.objects.filter(action__startswith="credential.")
    return {
        "lists": len(lists),
        "allocated": allocated_total,
        "credentials": credentials,
        "issued_events": events.filter(action="credential.issued").count(),
        "revoked_events": events.filter(action="credential.revoked").count(),
    }


def account(email: str, password: str) -> dict[str, Any]:
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_user(username="ana", email=email, password=password)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return {"user": user.pk}


def main(argv: list[str]) -> int:
    command, url, data_dir, *rest = argv
    setup_django(url, data_dir)
    if command == "setup":
        result = setup(int(rest[0]))
    elif command == "work":
        number, actors, iterations, go = rest
        result = work(int(number), int(actors), int(iterations), Path(go))
    elif command == "account":
        result = account(*rest)
    else:
        result = check()
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
