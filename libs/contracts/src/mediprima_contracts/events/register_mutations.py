"""Events of the national-register feed (topic `mediprima.register-mutations`, keyed by SSIN)."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.components import MutationKind, PersonName
from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import topics
from mediprima_contracts.values import Ssin


class RegisterMutationReported(EventData):
    """The national register reported a change about a person (D-08)."""

    event_type = "mediprima.register-mutation.reported"
    event_version = 1
    topic = topics.REGISTER_MUTATIONS
    subject_field = "ssin"

    ssin: Ssin = Field(description="SSIN of the person, as known before the change.")
    kind: MutationKind = Field(description="What changed.")
    effective_date: date = Field(description="Day the change took effect.")
    new_ssin: Ssin | None = Field(default=None, description="The new SSIN, for `ssin_change`.")
    new_name: PersonName | None = Field(
        default=None, description="The new name, for `name_change`."
    )

    @model_validator(mode="after")
    def _change_carries_its_new_value(self) -> Self:
        if self.kind is MutationKind.SSIN_CHANGE and self.new_ssin is None:
            raise PydanticCustomError("mutation.new_ssin_missing", "an SSIN change names it")
        if self.kind is MutationKind.NAME_CHANGE and self.new_name is None:
            raise PydanticCustomError("mutation.new_name_missing", "a name change names it")
        return self
