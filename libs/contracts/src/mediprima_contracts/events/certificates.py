"""Events of the urgent-aid certificate family (topic `mediprima.certificates`)."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.components import CareType
from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import topics
from mediprima_contracts.values import Identifier, RizivNumber, Ssin


class _CertificateFacts(EventData):
    """What a DMH/AMU certificate states (C-04)."""

    topic = topics.CERTIFICATES
    subject_field = "certificate_number"

    certificate_number: Identifier = Field(description="Number of the certificate.")
    ssin: Ssin = Field(description="SSIN of the patient.")
    provider: RizivNumber = Field(description="RIZIV number of the certifying doctor or dentist.")
    care_type: CareType = Field(description="Type of care the certificate is for.")
    valid_from: date = Field(description="First day the certificate is valid.")
    valid_until: date | None = Field(
        default=None,
        description="Last day the certificate is valid; absent only on certificates filed before "
        "validity was bounded.",
    )
    version: int = Field(
        default=1, ge=1, description="1 when filed, +1 for each correction by its author (C-04)."
    )

    @model_validator(mode="after")
    def _valid_until_not_before_valid_from(self) -> Self:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise PydanticCustomError("certificate.period_order", "valid_until precedes valid_from")
        return self


class CertificateRegistered(_CertificateFacts):
    """A provider filed an urgent-medical-aid certificate."""

    event_type = "mediprima.certificate.registered"
    event_version = 1


class CertificateWithdrawn(_CertificateFacts):
    """A provider withdrew a certificate; it no longer supports any invoice line."""

    event_type = "mediprima.certificate.withdrawn"
    event_version = 1
