"""A calendar day a request may name: within the years the platform's rules can reckon with."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import Field

FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)

BoundedDate = Annotated[
    date,
    Field(
        ge=FIRST_DAY,
        le=LAST_DAY,
        json_schema_extra={"formatMinimum": str(FIRST_DAY), "formatMaximum": str(LAST_DAY)},
    ),
]
"""A day from 1900-01-01 to 2199-12-31 (`greater_than_equal`, `less_than_equal` otherwise).

Every birth, decision, care and invoice day falls inside; the rules add days and months to the
days they are given (guarantees, periods, limits), and Python's calendar ends in year 9999: a
day near it turned into a server error instead of a refusal.
"""

BOUNDED_MONTH_PATTERN = r"^(19[0-9]{2}|2[01][0-9]{2})-(0[1-9]|1[0-2])$"
"""A month `YYYY-MM` within the years of `BoundedDate`, for a request naming a month."""
