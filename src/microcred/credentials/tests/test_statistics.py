"""Provider statistics: page views counted on the public page, and the per-day series of
issued, claimed, revoked and viewed credentials (UTC days), as the dashboard shows them."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import DatabaseError
from django.db.models import QuerySet
from django.test import Client, override_settings

from microcred.credentials import pageviews, services, statistics
from microcred.credentials.models import CredentialPageView, IssuedCredential
from microcred.delivery.models import ClaimInvitation

pytestmark = pytest.mark.django_db
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
TODAY = date(2026, 1, 31)  # the window of 30 days is 2 January to 31 January


def at(day: int, hour: int = 12, minute: int = 0, month: int = 1) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture
def issue(definition: Any, staff: dict[str, Any]) -> Callable[..., IssuedCredential]:
    def make(email: str, issued_at: datetime | None = None) -> IssuedCredential:
        row = services.issue_credential(
            actor=staff["issuer"], definition=definition, recipient_email=email
        )
        if issued_at is not None:
            IssuedCredential.objects.filter(pk=row.pk).update(issued_at=issued_at)
        return row

    return make


def claim(row: IssuedCredential, when: datetime | None, user: Any = None) -> None:
    ClaimInvitation.objects.update_or_create(
        credential=row,
        defaults={"token_hash": f"hash-{row.pk}", "claimed_at": when, "claimed_by": user},
    )


def revoke(row: IssuedCredential, when: datetime, actor: Any) -> None:
    services.revoke(actor=actor, credential=row, reason="Issued by mistake")
    IssuedCredential.objects.filter(pk=row.pk).update(revoked_at=when)


def page_path(row: IssuedCredential) -> str:
    return f"/credentials/{row.credential_id.removeprefix('urn:uuid:')}"


def views_today(row: IssuedCredential) -> int:
    found = CredentialPageView.objects.filter(credential=row, day=statistics.utc_today()).first()
    return found.count if found else 0


# ---------------------------------------------------------------- counting page views


def test_each_html_get_of_the_public_page_counts_one_view(
    issue: Callable[..., IssuedCredential], client: Client
) -> None:
    row = issue("ana@example.org")
    for _ in range(2):
        assert client.get(page_path(row), HTTP_ACCEPT=BROWSER).status_code == 200
    assert views_today(row) == 2
    # Machines fetching the credential, checks and downloads are not people looking at it.
    assert client.get(page_path(row), HTTP_ACCEPT="application/json").status_code == 200
    assert client.get(page_path(row)).status_code == 200  # no Accept: the JSON
    assert client.get(page_path(row) + "?format=json", HTTP_ACCEPT=BROWSER).status_code == 200
    assert client.head(page_path(row), HTTP_ACCEPT=BROWSER).status_code == 200
    assert client.get(page_path(row) + ".json").status_code == 200
    assert views_today(row) == 2
    assert CredentialPageView.objects.count() == 1
    assert statistics.stats(row.provider).views == 2


def test_a_failing_counter_is_logged_and_the_page_still_shows(
    issue: Callable[..., IssuedCredential],
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    row = issue("ana@example.org")

    def broken(*args: Any) -> None:
        raise DatabaseError("database is locked")

    monkeypatch.setattr(pageviews, "_increment", broken)
    with caplog.at_level(logging.ERROR, logger="microcred.credentials.pageviews"):
        response = client.get(page_path(row), HTTP_ACCEPT=BROWSER)
    assert response.status_code == 200 and "Data Analysis Fundamentals" in response.content.decode()
    assert "page view of " + row.credential_id + " not counted" in caplog.text
    assert views_today(row) == 0


def test_the_days_first_view_survives_a_concurrent_first_view(
    issue: Callable[..., IssuedCredential], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two first views of a day: both UPDATEs find no row, both INSERT, one loses on the
    unique constraint and must still count (simulated: the row appears between the two)."""
    row = issue("ana@example.org")
    real_update = QuerySet.update
    calls = []

    def racing_update(self: QuerySet[Any], **kwargs: Any) -> int:
        calls.append(kwargs)
        if len(calls) == 1 and self.model is CredentialPageView:
            CredentialPageView.objects.create(credential=row, day=TODAY, count=1)
            return 0  # this request's UPDATE ran before the other's INSERT
        return real_update(self, **kwargs)

    monkeypatch.setattr(QuerySet, "update", racing_update)
    pageviews.record_page_view(row, today=TODAY)
    assert CredentialPageView.objects.get(credential=row, day=TODAY).count == 2
    assert len(calls) == 2


# ---------------------------------------------------------------- the series


@pytest.fixture
def history(
    issue: Callable[..., IssuedCredential], staff: dict[str, Any], make_definition: Any
) -> list[IssuedCredential]:
    """Five credentials with a known history in January 2026 (and one before it)."""
    old = issue("old@example.org", at(1, 23, 59))  # 1 Jan: the day before the window
    first = issue("kim@example.org", at(2, 0, 0))  # the window's first minute
    late = issue("lou@example.org", at(10, 23, 30))  # 10 Jan, UTC (11 Jan in Amsterdam)
    noon = issue("max@example.org", at(10))
    today = issue("noa@example.org", at(31, 8))
    claim(first, at(5), staff["viewer"])
    claim(late, at(31, 0, 1), staff["viewer"])
    claim(noon, None)  # invited, never claimed
    claim(old, at(1, 10), staff["viewer"])  # claimed before the window: a total only
    revoke(late, at(20, 23, 59), staff["owner"])
    revoke(old, at(31, 7), staff["owner"])
    for day, row, times in ((30, first, 3), (30, noon, 1), (31, today, 2), (1, old, 5)):
        for _ in range(times):
            pageviews.record_page_view(row, today=date(2026, 1, day))
    return [old, first, late, noon, today]


@override_settings(TIME_ZONE="Europe/Amsterdam")
def test_per_day_series_count_utc_days(history: list[IssuedCredential]) -> None:
    stats = statistics.stats(history[0].provider, today=TODAY)
    assert [day.day for day in stats.days] == [date(2026, 1, 2) + timedelta(n) for n in range(30)]
    nonzero = {
        name: {d.day.day: getattr(d, name) for d in stats.days if getattr(d, name)}
        for name in statistics.SERIES
    }
    assert nonzero == {
        "issued": {2: 1, 10: 2, 31: 1},
        "claimed": {5: 1, 31: 1},
        "revoked": {20: 1, 31: 1},
        "views": {30: 4, 31: 2},
    }
    assert (stats.issued, stats.active, stats.revoked, stats.suspended) == (5, 3, 2, 0)
    assert (stats.claimed, stats.views) == (3, 11)  # totals include the days before the window
    assert stats.peak == 4 and stats.busiest_day == 2
    assert stats.per_day[8] == (date(2026, 1, 10), 2)


def test_series_are_per_provider_and_the_window_moves_with_today(
    history: list[IssuedCredential], other_provider: Any
) -> None:
    assert statistics.stats(other_provider, today=TODAY).peak == 0
    week = statistics.stats(history[0].provider, days=7, today=date(2026, 1, 11))
    assert [d.day.day for d in week.days] == list(range(5, 12))
    assert week.series("issued") == [0, 0, 0, 0, 0, 2, 0]
    assert week.series("claimed") == [1, 0, 0, 0, 0, 0, 0]
    assert week.series("views") == [0] * 7


def test_the_dashboard_shows_the_numbers(
    issue: Callable[..., IssuedCredential], staff: dict[str, Any], client: Client
) -> None:
    now = datetime.now(UTC)
    rows = [issue(f"l{n}@example.org") for n in range(3)]
    claim(rows[0], now, staff["viewer"])
    claim(rows[1], now, staff["viewer"])
    revoke(rows[2], now, staff["owner"])
    for _ in range(4):
        client.get(page_path(rows[0]), HTTP_ACCEPT=BROWSER)
    client.force_login(staff["viewer"])
    page = client.get("/providers/uni/").content.decode()
    totals = dict(re.findall(r"<dt>([\w ]+)</dt><dd>(\d+)</dd>", page))
    assert totals == {
        "Issued": "3",
        "Active": "2",
        "Suspended": "0",
        "Revoked": "1",
        "Claimed": "2",
        "Page views": "4",
    }
    legend = re.findall(r"</svg>([\w ]+) <strong>(\d+)</strong></li>", page)
    assert legend == [("Issued", "3"), ("Claimed", "2"), ("Revoked", "1"), ("Page views", "4")]
    today = now.date().strftime("%a %-d %b %Y")
    row = f'<th scope="row">{today}</th><td>3</td><td>2</td><td>1</td><td>4</td>'
    assert row in page
    assert page.count('<tr><th scope="row">') == 30
    assert "Issued, claimed, revoked and page views per day, last 30 days" in page
