"""Calendar arithmetic the rules share (months, not 30-day blocks)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def last_day_of_span(start: date, months: int) -> date:
    """Last day of a span of `months` months starting on `start` (1 Mar + 3 months: 31 May)."""
    return add_months(start, months) - timedelta(days=1)


def add_years(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
