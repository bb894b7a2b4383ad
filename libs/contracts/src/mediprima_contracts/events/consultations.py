"""Events of the consultation family (topic `mediprima.consultations`)."""

from __future__ import annotations

import datetime as dt
from typing import Self

from pydantic import AwareDatetime, Field, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.components import Coverage
from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import topics
from mediprima_contracts.values import DecisionNumber, Identifier, PersonId, RizivNumber, Ssin


class ConsultationRecorded(EventData):
    """A provider consulted a person's coverage (C-01, C-03); it starts the guarantee (C-02)."""

    event_type = "mediprima.consultation.recorded"
    event_version = 1
    topic = topics.CONSULTATIONS
    subject_field = "consultation_id"

    consultation_id: Identifier = Field(description="Id of the recorded consultation.")
    agreement_number: Identifier | None = Field(
        default=None,
        description="Payment commitment the provider copies onto the invoice; set when covered.",
    )
    agreement_valid_until: dt.date | None = Field(
        default=None, description="Last day of the 30-day payment guarantee; set when covered."
    )
    consulted_at: AwareDatetime = Field(description="When the provider consulted.")
    provider: RizivNumber = Field(description="RIZIV number of the consulting provider.")
    ssin: Ssin = Field(description="SSIN of the person asked about.")
    person_id: PersonId | None = Field(
        default=None,
        description="The person's identity in the registry, the same under every number (D-08); "
        "absent when no decision knows the person.",
    )
    date: dt.date = Field(description="Care date the provider asked about.")
    covered: bool = Field(description="An OCMW covers the person on that date.")
    decision_number: DecisionNumber | None = Field(
        default=None, description="The covering decision; set when covered."
    )
    version: int | None = Field(
        default=None, ge=1, description="Version of that decision as consulted."
    )
    coverages: list[Coverage] = Field(description="The coverages as the provider saw them.")
    urgent_medical_aid_certificate_required: bool = Field(
        description="The provider must file a DMH certificate for the care (C-04)."
    )

    @model_validator(mode="after")
    def _covered_names_decision_and_agreement(self) -> Self:
        references = (
            self.decision_number,
            self.version,
            self.agreement_number,
            self.agreement_valid_until,
        )
        if self.covered and any(reference is None for reference in references):
            raise PydanticCustomError(
                "consultation.covered_without_reference",
                "a covered consultation names its decision, version and agreement",
            )
        return self
