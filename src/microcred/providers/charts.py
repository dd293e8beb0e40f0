"""SVG geometry of the dashboard's statistics chart, computed here so that the template only
places what it is given (presentation only: the numbers come from the statistics selector).

One line per series over the same days and the same scale, so they can be compared; each
series has its own colour, dash pattern and marker shape (see site.css), because colour alone
does not tell series apart for everyone. Markers sit on days with a non-zero count only:
on the zero line they would pile up and hide each other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from microcred.credentials.statistics import SERIES, ProviderStats

HEIGHT = 120
STEP = 20  # horizontal distance between two days
MAX_TICKS = 4  # grid lines above zero
LABELS = {"issued": "Issued", "claimed": "Claimed", "revoked": "Revoked", "views": "Page views"}


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    day: date
    count: int


@dataclass(frozen=True)
class Line:
    key: str
    label: str
    total: int  # over the chart's days
    points: str  # an SVG polyline's points
    marks: list[Mark]


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    top: int  # the value at the top of the scale
    lines: list[Line]  # in legend order
    ticks: list[tuple[float, int]]  # (y, value) of each grid line, zero first
    labels: list[tuple[float, date]]  # (x, day) of the dated days under the axis

    @property
    def view_box(self) -> str:
        """Room on the left for the scale's numbers, and below for the dates."""
        return f"-28 -10 {self.width + 36} {self.height + 32}"


def scale(peak: int) -> tuple[int, int]:
    """The top of the scale and its step: 1, 2 or 5 times a power of ten, at most
    ``MAX_TICKS`` steps, the smallest top that is at least ``peak`` (and at least 1)."""
    power = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            steps = max(math.ceil(peak / step), 1)
            if steps <= MAX_TICKS:
                return steps * step, step
        power *= 10


def _y(count: int, top: int) -> float:
    return round(HEIGHT - count * HEIGHT / top, 1)


def _line(key: str, values: list[int], days: list[date], top: int) -> Line:
    xs = [number * STEP + STEP / 2 for number in range(len(values))]
    points = " ".join(f"{x:g},{_y(v, top):g}" for x, v in zip(xs, values, strict=True))
    marks = [Mark(x, _y(v, top), day, v) for x, v, day in zip(xs, values, days, strict=True) if v]
    return Line(key, LABELS[key], sum(values), points, marks)


def line_chart(stats: ProviderStats) -> Chart:
    """The chart of every series in ``stats``, oldest day on the left."""
    top, step = scale(stats.peak)
    days = [day.day for day in stats.days]
    last = len(days) - 1
    return Chart(
        width=STEP * len(days),
        height=HEIGHT,
        top=top,
        lines=[_line(key, stats.series(key), days, top) for key in SERIES],
        ticks=[(_y(value, top), value) for value in range(0, top + 1, step)],
        # Every 7th day counted back from today gets its date, so today is always dated.
        labels=[(n * STEP + STEP / 2, day) for n, day in enumerate(days) if (last - n) % 7 == 0],
    )
