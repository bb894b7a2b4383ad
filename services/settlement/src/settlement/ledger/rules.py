"""Which month a paid or credited line is booked in; pure."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime


def calendar_month(moment: datetime) -> str:
    """`YYYY-MM` of a moment, in its own time zone."""
    return moment.strftime("%Y-%m")


def next_month(month: str) -> str:
    year, number = (int(part) for part in month.split("-"))
    return f"{year + number // 12:04d}-{number % 12 + 1:02d}"


def booking_month_s04(happened_in: str, closed_months: Collection[str]) -> str:
    """S-04: a closed month never changes, so a line paid (or credited) in a month that is
    already closed falls into the next month that is still open."""
    month = happened_in
    while month in closed_months:
        month = next_month(month)
    return month
