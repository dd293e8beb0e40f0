"""Status index allocation does not block rows that reference the provider (PostgreSQL).

Allocation locks the provider row for its transaction so that concurrent issuers queue. A
plain FOR UPDATE lock would also block every foreign-key check of a row inserted with that
provider (an audit event, a credential), which PostgreSQL runs at commit: a revocation holding
its status list row then waits for the issuer, while the issuer waits for that list row, and
one of them dies in a deadlock. Allocation takes FOR NO KEY UPDATE instead; this test holds an
allocation open and checks that an audit event for the same provider commits meanwhile.
"""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction

from microcred.credentials import statuslists
from microcred.providers import services as providers


@pytest.mark.django_db(transaction=True)
def test_an_open_allocation_lets_other_rows_of_the_provider_commit() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row lock strengths are PostgreSQL's; SQLite serialises all writers")
    owner = get_user_model().objects.create_user(username="o", email="o@example.com")
    provider = providers.create_provider(
        actor=owner, slug="locks", name="Locks", legal_name="Locks B.V.", country="NL",
        did_method="key",
    )  # fmt: skip
    held, release, errors = threading.Event(), threading.Event(), []

    def issuer() -> None:
        try:
            with transaction.atomic():
                statuslists.allocate(provider, "revocation")
                held.set()
                release.wait(30)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            held.set()
            connection.close()

    thread = threading.Thread(target=issuer)
    thread.start()
    try:
        assert held.wait(30)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '3s'")
            providers.record_event(action="credential.revoked", provider=provider, subject="x")
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the commit-time FK checks, now
    finally:
        release.set()
        thread.join()
    assert errors == []
