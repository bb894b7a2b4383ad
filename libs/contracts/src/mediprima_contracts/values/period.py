"""An inclusive range of days."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.base import ContractModel


class Period(ContractModel):
    """From `start` to `end`, both days included; `start` is never after `end` (`period.order`)."""

    start: date = Field(description="First day of the period, included.")
    end: date = Field(description="Last day of the period, included.")

    @model_validator(mode="after")
    def _start_not_after_end(self) -> Self:
        if self.start > self.end:
            raise PydanticCustomError("period.order", "a period's start is not after its end")
        return self

    @property
    def days(self) -> int:
        """Number of days in the period, both ends counted."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def overlaps(self, other: Period) -> bool:
        """At least one day in common."""
        return self.start <= other.end and other.start <= self.end

    def covers(self, other: Period) -> bool:
        """Every day of `other` lies in this period."""
        return self.start <= other.start and other.end <= self.end

    def intersection(self, other: Period) -> Period | None:
        """The days both periods share, or None."""
        if not self.overlaps(other):
            return None
        return Period(start=max(self.start, other.start), end=min(self.end, other.end))
