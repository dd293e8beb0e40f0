"""A provider's statistics: totals, and what happened each day of the last weeks (UTC).

Reads only. Where each series comes from:

- issued: ``IssuedCredential.issued_at``;
- claimed: the delivery app's ``ClaimInvitation.claimed_at``, reached through the reverse
  relation ``claim_invitation`` (a query string, no import: delivery depends on this app,
  not the other way round);
- revoked: ``IssuedCredential.revoked_at``. The revocation service sets it in the same
  transaction as the state and the status bit, and revocation is final, so it is exactly
  "revoked on that day" (suspensions leave it empty). The audit log says the same but is
  a log: reading the credential itself needs no JSON or action-name matching;
- views: the ``CredentialPageView`` counters (see ``pageviews.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from microcred.credentials.models import CredentialPageView, IssuedCredential
from microcred.providers.models import Provider

SERIES = ("issued", "claimed", "revoked", "views")


@dataclass(frozen=True)
class Day:
    """What happened on one day."""

    day: date
    issued: int = 0
    claimed: int = 0
    revoked: int = 0
    views: int = 0

    @property
    def peak(self) -> int:
        return max(self.issued, self.claimed, self.revoked, self.views)


@dataclass(frozen=True)
class ProviderStats:
    """Totals by state, claimed and page views; and one :class:`Day` per day, oldest first."""

    issued: int
    active: int
    suspended: int
    revoked: int
    claimed: int
    views: int
    days: list[Day]

    @property
    def per_day(self) -> list[tuple[date, int]]:
        """Credentials issued per day (the first series, kept for its callers)."""
        return [(day.day, day.issued) for day in self.days]

    @property
    def busiest_day(self) -> int:
        """The most credentials issued on one day."""
        return max((day.issued for day in self.days), default=0)

    @property
    def peak(self) -> int:
        """The highest daily number of any series (the chart's scale)."""
        return max((day.peak for day in self.days), default=0)

    def series(self, name: str) -> list[int]:
        return [getattr(day, name) for day in self.days]


def utc_today() -> date:
    return timezone.now().astimezone(UTC).date()


def _per_day(rows: QuerySet[IssuedCredential], field: str, since: datetime) -> dict[date, int]:
    """Credentials per UTC day of the timestamp ``field`` (which may cross a relation)."""
    return dict(
        rows.filter(**{f"{field}__gte": since})
        .annotate(day=TruncDate(field, tzinfo=UTC))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by()
    )


def _views_per_day(provider: Provider, first: date) -> dict[date, int]:
    views = CredentialPageView.objects.filter(credential__provider=provider, day__gte=first)
    return dict(views.values_list("day").annotate(n=Sum("count")).order_by())


def _days(
    provider: Provider, rows: QuerySet[IssuedCredential], first: date, days: int
) -> list[Day]:
    since = datetime.combine(first, time.min, UTC)
    counts = {
        "issued": _per_day(rows, "issued_at", since),
        "claimed": _per_day(rows, "claim_invitation__claimed_at", since),
        "revoked": _per_day(rows, "revoked_at", since),
        "views": _views_per_day(provider, first),
    }
    dates = [first + timedelta(days=n) for n in range(days)]
    return [Day(day, **{name: counts[name].get(day, 0) for name in SERIES}) for day in dates]


def stats(provider: Provider, *, days: int = 30, today: date | None = None) -> ProviderStats:
    """Totals, and per-day series over the ``days`` days up to ``today`` (UTC) inclusive."""
    rows = IssuedCredential.objects.filter(provider=provider)
    by_state = dict(rows.values_list("state").annotate(n=Count("id")).order_by())
    first = (today or utc_today()) - timedelta(days=days - 1)
    views = CredentialPageView.objects.filter(credential__provider=provider)
    state = IssuedCredential.State
    return ProviderStats(
        issued=sum(by_state.values()),
        active=by_state.get(state.ACTIVE, 0),
        suspended=by_state.get(state.SUSPENDED, 0),
        revoked=by_state.get(state.REVOKED, 0),
        claimed=rows.filter(claim_invitation__claimed_at__isnull=False).count(),
        views=views.aggregate(total=Sum("count"))["total"] or 0,
        days=_days(provider, rows, first, days),
    )
