"""The dashboard chart's geometry (no database: statistics in, SVG coordinates out)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from microcred.credentials.statistics import Day, ProviderStats
from microcred.providers import charts


def stats_of(*days: Day) -> ProviderStats:
    return ProviderStats(
        issued=0, active=0, suspended=0, revoked=0, claimed=0, views=0, days=list(days)
    )


@pytest.mark.parametrize(
    ("peak", "top", "step"),
    [
        (0, 1, 1),
        (1, 1, 1),
        (3, 3, 1),
        (4, 4, 1),
        (5, 6, 2),
        (7, 8, 2),
        (9, 10, 5),
        (13, 15, 5),
        (21, 30, 10),
        (99, 100, 50),
        (1234, 1500, 500),
    ],
)
def test_scale_is_a_round_number_at_or_above_the_peak(peak: int, top: int, step: int) -> None:
    assert charts.scale(peak) == (top, step)
    assert top >= peak and top // step <= charts.MAX_TICKS


def test_lines_points_marks_and_dates() -> None:
    first = date(2026, 1, 1)
    days = [Day(first + timedelta(n)) for n in range(9)]
    days[2] = Day(days[2].day, issued=4, claimed=2, views=3)
    days[8] = Day(days[8].day, revoked=1)
    chart = charts.line_chart(stats_of(*days))
    assert (chart.width, chart.top) == (9 * charts.STEP, 4)
    assert [line.key for line in chart.lines] == ["issued", "claimed", "revoked", "views"]
    assert [line.label for line in chart.lines] == ["Issued", "Claimed", "Revoked", "Page views"]
    issued, claimed, revoked, views = chart.lines
    assert (issued.total, claimed.total, revoked.total, views.total) == (4, 2, 1, 3)
    # The peak touches the top (y = 0), zero lies on the axis (y = height), half is halfway.
    assert issued.points.split()[:3] == ["10,120", "30,120", "50,0"]
    assert claimed.points.split()[2] == "50,60"
    assert len(issued.points.split()) == 9
    # Markers only where something happened.
    assert [(m.x, m.y, m.day, m.count) for m in issued.marks] == [(50, 0, days[2].day, 4)]
    assert [m.day for m in revoked.marks] == [days[8].day] and revoked.marks[0].y == 90
    assert chart.ticks == [(120, 0), (90, 1), (60, 2), (30, 3), (0, 4)]
    # Today (the last day) and every 7th day before it carry a date.
    assert chart.labels == [(30, days[1].day), (170, days[8].day)]


def test_an_empty_window_draws_flat_lines_without_marks() -> None:
    chart = charts.line_chart(stats_of(*(Day(date(2026, 1, n)) for n in range(1, 31))))
    assert chart.top == 1 and chart.ticks == [(120, 0), (0, 1)]
    assert all(not line.marks and line.total == 0 for line in chart.lines)
    assert chart.view_box == f"-28 -10 {30 * charts.STEP + 36} {charts.HEIGHT + 32}"
