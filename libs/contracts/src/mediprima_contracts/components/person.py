"""The person a decision is about."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.base import ContractModel


class Sex(StrEnum):
    """Sex as the register knows it."""

    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class PersonName(ContractModel):
    """A person's name as in the national register."""

    last_name: str = Field(min_length=1, max_length=200, description="Family name.")
    first_name: str = Field(min_length=1, max_length=200, description="Given name(s).")


class Person(PersonName):
    """Identity of the beneficiary as known when the decision version was made."""

    birth_date: date | None = Field(
        description="Birth date; null where it is unknown (month or day 00 in the SSIN)."
    )
    sex: Sex = Field(description="Sex as registered; `unknown` when not known.")
    death_date: date | None = Field(default=None, description="Date of death, if deceased.")

    @model_validator(mode="after")
    def _not_dead_before_birth(self) -> Self:
        if self.birth_date and self.death_date and self.death_date < self.birth_date:
            raise PydanticCustomError("person.death_before_birth", "death precedes birth")
        return self
