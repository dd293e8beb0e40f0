"""A provider's status lists roll over: list 1 full -> list 2 at ``/status/<p>/<purpose>/2``."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from microcred.core.crypto.statuslist import MIN_ENTRIES
from microcred.core.verify.report import VerificationReport
from microcred.credentials import services, statuslists
from microcred.credentials.models import IssuedCredential, StatusList
from microcred.credentials.tests.conftest import fetch_json, path_of

pytestmark = pytest.mark.storage
Verify = Callable[[dict[str, Any]], VerificationReport]


def _issue(definition: Any, actor: Any, n: int) -> IssuedCredential:
    return services.issue_credential(
        actor=actor, definition=definition, recipient_email=f"learner{n}@example.com"
    )


def _status_ok(report: VerificationReport) -> list[bool]:
    return [check.ok for check in report.checks if check.check == "status"]


def _taken(row: StatusList) -> set[int]:
    bits = int.from_bytes(bytes(row.allocated), "big")
    size = len(bytes(row.allocated)) * 8
    return {i for i in range(size) if bits >> (size - 1 - i) & 1}


def _fill_all_but(provider: Any, purpose: str, free: int) -> set[int]:
    """Mark every index of list 1 handed out except ``free`` of the untaken ones (returned)."""
    row = StatusList.objects.get(provider=provider, purpose=purpose, number=1)
    taken = _taken(row)
    left = set(sorted(set(range(MIN_ENTRIES)) - taken)[-free:] if free else [])
    value = (1 << MIN_ENTRIES) - 1
    for index in left:
        value ^= 1 << (MIN_ENTRIES - 1 - index)
    StatusList.objects.filter(pk=row.pk).update(allocated=value.to_bytes(MIN_ENTRIES // 8, "big"))
    return left


def test_full_list_rolls_over_and_both_lists_revoke(
    definition: Any, staff: dict[str, Any], verify: Verify, client: Client
) -> None:
    # Full-size lists: the verifier refuses lists under 131,072 entries (herd privacy).
    first = _issue(definition, staff["issuer"], 0)
    left = _fill_all_but(definition.provider, "revocation", 2)
    on_list_1 = [_issue(definition, staff["issuer"], n) for n in (1, 2)]
    assert {row.status_index for row in on_list_1} == left
    on_list_2 = [_issue(definition, staff["issuer"], n) for n in (3, 4)]
    old_url = statuslists.list_url(definition.provider, "revocation")
    new_url = f"{old_url}/2"
    for row in [first, *on_list_1]:
        assert row.document["credentialStatus"]["statusListCredential"] == old_url
    for row in on_list_2:
        assert row.document["credentialStatus"]["statusListCredential"] == new_url
    assert fetch_json(client, new_url)["id"] == new_url
    assert fetch_json(client, old_url)["id"] == old_url  # the old URL keeps working
    assert client.get(path_of(old_url) + "/1").status_code == 404  # one URL per list
    assert client.get(path_of(old_url) + "/3").status_code == 404
    revoked = [on_list_1[0], on_list_2[0]]
    kept = [first, on_list_1[1], on_list_2[1]]
    for row in revoked:
        services.revoke(actor=staff["issuer"], credential=row, reason="withdrawn")
    for row in revoked:
        report = verify(row.document)
        assert _status_ok(report) == [False] and not report.verified
    # Same index on the other list, or a neighbour on the same list: untouched.
    for row in kept:
        assert _status_ok(verify(row.document)) == [True]
    list_2 = StatusList.objects.get(provider=definition.provider, purpose="revocation", number=2)
    assert _taken(list_2) == {row.status_index for row in on_list_2}


def test_batch_spans_the_boundary_without_reuse(
    provider: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(statuslists, "STATUS_LIST_SIZE", 16)
    head = services.allocate(provider, "suspension", 10)
    batch = services.allocate(provider, "suspension", 30)  # 6 on list 1, 16 on 2, 8 on 3
    assert [a.number for a in head] == [1] * 10
    assert [a.number for a in batch] == [1] * 6 + [2] * 16 + [3] * 8
    rows = {row.number: row for row in StatusList.objects.filter(provider=provider)}
    assert sorted(rows) == [1, 2, 3]
    for number, row in rows.items():
        mine = [a for a in head + batch if a.number == number]
        assert {a.list_id for a in mine} == {row.pk}
        # Every index handed out once per list, and recorded as taken.
        assert len({a.index for a in mine}) == len(mine) == len(_taken(row))
        assert {a.index for a in mine} == _taken(row)
        for a in mine:
            assert a.entry["statusListCredential"] == row.url
            assert a.entry["statusListIndex"] == str(a.index)
    assert rows[3].url.endswith("/status/uni/suspension/3")
    # Revocation lists are counted apart from suspension lists.
    assert services.allocate(provider, "revocation", 1)[0].number == 1


def test_credential_on_list_2_is_suspended_on_list_2(
    make_definition: Callable[..., Any],
    staff: dict[str, Any],
    verify: Verify,
) -> None:
    definition = make_definition("susp", status_purpose="suspension")
    first = _issue(definition, staff["issuer"], 0)
    _fill_all_but(definition.provider, "suspension", 0)
    second = _issue(definition, staff["issuer"], 1)
    assert second.document["credentialStatus"]["statusListCredential"].endswith("/suspension/2")
    services.suspend(actor=staff["issuer"], credential=second, reason="check")
    assert _status_ok(verify(second.document)) == [False]
    assert _status_ok(verify(first.document)) == [True]
    services.unsuspend(actor=staff["issuer"], credential=second)
    assert _status_ok(verify(second.document)) == [True]


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuers_open_each_next_list_once(
    provider: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if connection.vendor == "sqlite":
        # As in test_statuslists: the in-memory SQLite test database fails concurrent
        # writers at once; the provider row lock is exercised on PostgreSQL.
        pytest.skip("concurrent writers need the PostgreSQL run")
    monkeypatch.setattr(statuslists, "STATUS_LIST_SIZE", 24)
    results: list[tuple[int, int]] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(10):
                batch = services.allocate(provider, "revocation", 3)
                results.extend((a.number, a.index) for a in batch)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == 120 and len(set(results)) == 120  # no (list, index) twice
    rows = StatusList.objects.filter(provider=provider, purpose="revocation").order_by("number")
    assert [row.number for row in rows] == [1, 2, 3, 4, 5]  # 120 / 24: each list full
    assert all(len(_taken(row)) == 24 for row in rows)
