"""A calendar month, `YYYY-MM`, as used by the monthly settlement."""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Self

from mediprima_contracts.values.errors import InvalidValue
from mediprima_contracts.values.period import Period
from mediprima_contracts.values.validated_string import ValidatedString

_YEAR_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


class YearMonth(ValidatedString):
    """A month as `YYYY-MM`, e.g. `2025-11`. Code: `year_month.type`, `year_month.format`."""

    code_prefix = "year_month"
    json_pattern = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
    json_example = "2025-11"

    @classmethod
    def canonical(cls, value: str) -> str:
        month = value.strip()
        if not _YEAR_MONTH.fullmatch(month):
            raise InvalidValue("year_month.format", "a month is written YYYY-MM")
        return month

    @classmethod
    def containing(cls, day: date) -> Self:
        return cls(f"{day.year:04d}-{day.month:02d}")

    @property
    def year(self) -> int:
        return int(self[:4])

    @property
    def month(self) -> int:
        return int(self[5:])

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    @property
    def period(self) -> Period:
        return Period(start=self.first_day, end=self.last_day)

    def contains(self, day: date) -> bool:
        return (day.year, day.month) == (self.year, self.month)
