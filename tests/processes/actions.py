"""What the process tests do inside the database, one action per subprocess:
``python tests/processes/actions.py ACTION [ARG...]`` with the MICROCRED_* environment of
the test's own database. Each action prints one JSON object on stdout.

Seeding and checking run in subprocesses too: the pytest process's Django is bound to the
pytest-django test database, not to the file or PostgreSQL database the workers use.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter
from typing import Any

OWNER = "owner@proc.test"
PATHWAY = "stack"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microcred.platform.settings")
    import django

    django.setup()


def _owner() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email=OWNER)


def _definition(slug: str = "data-101") -> Any:
    from microcred.credentials.models import MicroCredentialDefinition

    return MicroCredentialDefinition.objects.get(provider__slug="proc", slug=slug)


def seed() -> dict[str, Any]:
    """An owner, a did:key provider and two published definitions."""
    from django.contrib.auth import get_user_model

    from microcred.credentials import services as credentials
    from microcred.providers import services as providers

    owner = get_user_model().objects.create_user(username="owner", email=OWNER, password="x")
    provider = providers.create_provider(
        actor=owner, slug="proc", name="Proc University", legal_name="Proc University B.V.",
        country="NL", region="Utrecht", website="https://proc.example.edu", did_method="key",
    )  # fmt: skip
    for slug in ("data-101", "sql-201"):
        draft = credentials.create_definition(
            actor=owner, provider=provider, slug=slug, name=f"Course {slug}",
            description="A course.", criteria_narrative="Passed the exam.",
        )  # fmt: skip
        credentials.publish(actor=owner, definition=draft)
    return {"provider": provider.pk}


def bulk(rows: str, starts: str = "1", first: str = "0") -> dict[str, Any]:
    """A job of ``rows`` learners, queued ``starts`` times (a second start is a second task
    for the same job: two workers may then run it at once)."""
    from microcred.bulk import services

    numbers = range(int(first), int(first) + int(rows))
    lines = ["email,narrative"] + [f"learner{n}@example.com,Project {n}" for n in numbers]
    content = ("\n".join(lines) + "\n").encode()
    owner = _owner()
    job = services.create_job(
        actor=owner, definition=_definition(), csv_bytes=content, filename=f"{rows}.csv"
    )
    tasks = [services.start_job(actor=owner, job=job) for _ in range(int(starts))]
    return {"job": job.pk, "tasks": tasks}


def issue(count: str) -> dict[str, Any]:
    from microcred.credentials.issuing import issue_batch

    rows = [{"recipient_email": f"learner{n}@example.com"} for n in range(int(count))]
    outcomes = issue_batch(actor=_owner(), definition=_definition(), rows=rows)
    return {"issued": sum(not isinstance(o, Exception) for o in outcomes)}


def revoke_all() -> dict[str, Any]:
    """Revoke every active credential, one transaction each (a rerun continues)."""
    from microcred.credentials import revocation
    from microcred.credentials.models import IssuedCredential

    owner, done = _owner(), 0
    for row in IssuedCredential.objects.filter(state="active").order_by("pk"):
        revocation.revoke(actor=owner, credential=row, reason="cohort withdrawn")
        done += 1
    return {"revoked": done}


def sign_lists() -> dict[str, Any]:
    from microcred.credentials import statuslists
    from microcred.credentials.models import StatusList

    rows = StatusList.objects.select_related("provider").order_by("pk")
    return {"signed": [statuslists.signed_list(row)["id"] for row in rows]}


def pathway(learners: str) -> dict[str, Any]:
    """Learners with a verified address and both components, then a pathway needing both
    published: its re-evaluation job (queued on commit) awards every learner."""
    from allauth.account.models import EmailAddress  # type: ignore[import-untyped]
    from django.contrib.auth import get_user_model

    from microcred.credentials import achievements
    from microcred.credentials.issuing import issue_batch
    from microcred.pathways import services

    owner = _owner()
    emails = [f"pupil{n}@example.com" for n in range(int(learners))]
    for n, email in enumerate(emails):
        user = get_user_model().objects.create_user(username=f"pupil{n}", email=email)
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    children = []
    for slug in ("data-101", "sql-201"):
        definition = _definition(slug)
        issue_batch(
            actor=owner, definition=definition, rows=[{"recipient_email": e} for e in emails]
        )
        children.append(
            {"type": "achievement", "achievementId": achievements.achievement_id(definition)}
        )
    source = json.dumps(
        {"id": PATHWAY, "name": "Stacked", "requirement": {"type": "all", "children": children}}
    )
    row = services.save_pathway(actor=owner, provider=definition.provider, source=source)
    services.publish_pathway(actor=owner, pathway=row)
    return {"pathway": row.pk}


def wait(what: str, timeout: str) -> dict[str, Any]:
    """Poll until every task finished (``tasks``) or ``what`` is reached; then report."""
    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + float(timeout)
    while time.monotonic() < deadline:
        open_tasks = DBTaskResult.objects.exclude(status__in=("SUCCESSFUL", "FAILED")).count()
        if what == "tasks" and open_tasks == 0:
            break
        time.sleep(0.1)
    return report()


def report() -> dict[str, Any]:
    """Every fact the tests check, read from the database as it is."""
    return {**_bulk_facts(), **_credential_facts(), **_task_facts(), **_award_facts()}


def _bulk_facts() -> dict[str, Any]:
    from microcred.bulk.models import BulkJob, BulkRow
    from microcred.providers.models import AuditEvent

    jobs = {
        str(job.pk): {"state": job.state, "issued": job.issued, "skipped": job.skipped,
                      "failed": job.failed, "total": job.total}
        for job in BulkJob.objects.all()
    }  # fmt: skip
    rows = Counter(BulkRow.objects.values_list("state", flat=True))
    finished = Counter(
        AuditEvent.objects.filter(action="bulk.finished").values_list("subject", flat=True)
    )
    linked = BulkRow.objects.filter(state="issued", credential__isnull=False).count()
    return {"jobs": jobs, "rows": dict(rows), "rows_linked": linked, "finished": finished}


def _credential_facts() -> dict[str, Any]:
    from microcred.core.crypto.statuslist import StatusList as Bits
    from microcred.credentials import statuslists
    from microcred.credentials.models import IssuedCredential, StatusList
    from microcred.providers.models import AuditEvent

    credentials = list(IssuedCredential.objects.order_by("pk"))
    issued_events = Counter(
        AuditEvent.objects.filter(action="credential.issued").values_list("subject", flat=True)
    )
    revoked_events = Counter(
        AuditEvent.objects.filter(action="credential.revoked").values_list("subject", flat=True)
    )
    lists = {row.pk: row for row in StatusList.objects.select_related("provider")}
    cached = sum(row.signed is not None for row in lists.values())
    signed = {
        pk: Bits.decode(statuslists.signed_list(row)["credentialSubject"]["encodedList"])
        for pk, row in lists.items()
    }
    wrong_bits = [
        c.credential_id
        for c in credentials
        if signed[c.status_list_id].get(c.status_index) != (c.state == "revoked")
    ]
    return {
        "credentials": len(credentials),
        "states": dict(Counter(c.state for c in credentials)),
        "keys": dict(Counter(str(c.idempotency_key) for c in credentials if c.idempotency_key)),
        "recipients": dict(Counter(c.recipient_email for c in credentials)),
        "indexes_unique": len({(c.status_list_id, c.status_index) for c in credentials})
        == len(credentials),
        "issued_events_ok": all(issued_events[c.credential_id] == 1 for c in credentials)
        and sum(issued_events.values()) == len(credentials),
        "revoked_events_ok": all(
            revoked_events[c.credential_id] == (c.state == "revoked") for c in credentials
        ),
        "wrong_bits": wrong_bits,
        "cached_lists": cached,
    }


def _task_facts() -> dict[str, Any]:
    from django_tasks_db.models import DBTaskResult

    tasks = DBTaskResult.objects.order_by("enqueued_at")
    return {"tasks": [[t.task_path.rsplit(".", 1)[-1], t.status, t.worker_ids] for t in tasks]}


def _award_facts() -> dict[str, Any]:
    from microcred.pathways.models import PathwayAward
    from microcred.providers.models import AuditEvent

    awards = list(PathwayAward.objects.select_related("credential", "learner"))
    awarded_events = Counter(
        AuditEvent.objects.filter(action="pathway.awarded").values_list("subject", flat=True)
    )
    return {
        "awards": dict(Counter(a.learner.email for a in awards)),
        "award_credentials_ok": all(
            a.credential.recipient_email == a.learner.email for a in awards
        ),
        "awarded_events_ok": all(awarded_events[a.credential.credential_id] == 1 for a in awards)
        and sum(awarded_events.values()) == len(awards),
    }


ACTIONS = {
    "seed": seed, "bulk": bulk, "issue": issue, "revoke-all": revoke_all,
    "sign-lists": sign_lists, "pathway": pathway, "wait": wait, "report": report,
}  # fmt: skip

if __name__ == "__main__":
    _setup()
    result = ACTIONS[sys.argv[1]](*sys.argv[2:])
    sys.stdout.write("\n" + json.dumps(result, default=str) + "\n")
