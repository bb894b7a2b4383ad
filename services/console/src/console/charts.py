"""The geometry of the console's charts, drawn as SVG by their templates: invoices per day, and
the shares of a month's statement."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

WIDTH, HEIGHT = 720, 240
LEFT, BOTTOM, TOP = 40, 40, 10
BAR = 14


class DayCounts(Protocol):
    @property
    def day(self) -> date: ...
    @property
    def received(self) -> int: ...
    @property
    def paid(self) -> int: ...


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    kind: str
    value: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    labels: list[tuple[float, str]]
    ticks: list[tuple[float, int]]
    baseline: float


def bars(days: Sequence[DayCounts]) -> Chart:
    """Two bars a day (received, paid), scaled to the busiest day; a label under each day."""
    top = max([1, *(max(day.received, day.paid) for day in days)])
    plot_height = HEIGHT - BOTTOM - TOP
    step = (WIDTH - LEFT) / max(1, len(days))
    baseline = HEIGHT - BOTTOM
    drawn, labels = [], []
    for index, day in enumerate(days):
        x = LEFT + index * step + (step - 2 * BAR) / 2
        for offset, kind, value in ((0, "received", day.received), (BAR, "paid", day.paid)):
            height = plot_height * value / top
            drawn.append(
                Bar(x=x + offset, y=baseline - height, height=height, kind=kind, value=value)
            )
        labels.append((x + BAR, day.day.strftime("%d/%m")))
    ticks = [(baseline - plot_height * value / top, value) for value in sorted({0, top // 2, top})]
    return Chart(WIDTH, HEIGHT, drawn, labels, ticks, baseline)


SHARES = ("state_share", "ocmw_share", "patient_share")
SHARES_WIDTH = 600


@dataclass(frozen=True)
class Segment:
    kind: str
    x: float
    width: float
    amount: Decimal
    percent: Decimal


def shares(totals: Mapping[str, str]) -> list[Segment]:
    """One bar split into the state's, the OCMW's and the patients' parts of the month."""
    amounts = [(kind, max(Decimal(totals[kind]), Decimal(0))) for kind in SHARES]
    whole = sum((amount for _kind, amount in amounts), Decimal(0))
    segments, x = [], 0.0
    for kind, amount in amounts:
        part = amount / whole if whole else Decimal(0)
        width = float(part) * SHARES_WIDTH
        percent = (part * 100).quantize(Decimal("0.1"))
        segments.append(Segment(kind=kind, x=x, width=width, amount=amount, percent=percent))
        x += width
    return segments
