"""The provider's statistics in a real browser: views of the public page are counted, and
the dashboard draws the four series with a legend and the table of every day."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from microcred.credentials import pageviews, services
from microcred.credentials.models import IssuedCredential
from microcred.credentials.models import MicroCredentialDefinition as Definition
from microcred.credentials.tests.test_provider_pages_browser import sign_in
from microcred.delivery.models import ClaimInvitation
from microcred.platform.tests.conftest import page, screenshot  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("browser")]


def _history(definition: Definition, staff: dict[str, Any]) -> list[IssuedCredential]:
    """A fortnight of activity: credentials issued, claimed, revoked and looked at."""
    now = datetime.now(UTC)
    rows = []
    for n in range(8):
        row = services.issue_credential(
            actor=staff["issuer"], definition=definition, recipient_email=f"l{n}@example.org"
        )
        when = now - timedelta(days=(n * 2) % 13)
        IssuedCredential.objects.filter(pk=row.pk).update(issued_at=when)
        if n % 3:
            ClaimInvitation.objects.update_or_create(
                credential=row,
                defaults={"token_hash": f"h{n}", "claimed_at": when + timedelta(days=1)},
            )
        for back in range(n % 4):
            pageviews.record_page_view(row, today=(now - timedelta(days=back * 3)).date())
        rows.append(row)
    services.revoke(actor=staff["owner"], credential=rows[5], reason="Issued by mistake")
    return rows


def test_dashboard_chart_legend_and_table(
    page: Any,  # noqa: F811
    live_server: Any,
    make_definition: Callable[..., Definition],
    staff: dict[str, Any],
) -> None:
    rows = _history(make_definition(), staff)
    credential_url = f"{live_server.url}/credentials/{rows[0].credential_id[9:]}"
    for _ in range(2):  # a person opening the public page twice
        page.goto(credential_url)
        assert page.get_by_role("heading", name="Data Analysis Fundamentals").is_visible()
    sign_in(page, live_server, staff["viewer"])
    page.goto(f"{live_server.url}/providers/uni/")
    chart = page.get_by_role("img", name=re.compile("Issued, claimed, revoked and page views"))
    assert chart.is_visible()
    assert chart.bounding_box()["height"] > 150
    legend = page.locator(".chart .legend li")
    assert legend.count() == 4 and all(item.is_visible() for item in legend.all())
    expected = ["Issued 8", "Claimed 5", "Revoked 1", "Page views 14"]
    assert [" ".join(item.inner_text().split()) for item in legend.all()] == expected
    stat_row = " ".join(page.locator(".stat-row").inner_text().split())
    assert "Page views 14" in stat_row and "Claimed 5" in stat_row
    # Each series draws its own line; markers in the series' shape sit on its busy days.
    for key in ("issued", "claimed", "revoked", "views"):
        assert page.locator(f"figure.chart > svg .series-{key} polyline").count() == 1
    assert page.locator("figure.chart > svg .series-issued use").count() >= 4
    page.locator(".panel").first.screenshot(path="/tmp/stats-dashboard.png")
    page.get_by_text("Show the numbers as a table").click()
    table = page.locator("details table")
    assert table.is_visible() and table.locator("tbody tr").count() == 30
    screenshot(page, "provider-statistics")
