import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

from mediprima_contracts.components import CareType, Coverage, Ocmw
from mediprima_contracts.values import Ssin


class ConsultationRequest(BaseModel):
    """A provider asks whether an OCMW covers a person on a date."""

    model_config = ConfigDict(extra="forbid")

    ssin: Ssin = Field(description="The person's INSZ/NISS or BIS number.")
    date: dt.date = Field(description="Date of care asked about.")
    care_type: CareType | None = Field(
        default=None, description="Limit the answer to one care type."
    )


class ConsultationAnswer(BaseModel):
    consultation_id: str = Field(description="Id of this recorded consultation.")
    covered: bool = Field(
        description="Whether an OCMW covers the person for the date (and care type)."
    )
    decision_number: str | None = Field(default=None, description="The covering decision.")
    version: int | None = Field(default=None, description="Its version as consulted.")
    ocmw: Ocmw | None = Field(default=None, description="The covering OCMW.")
    coverages: list[Coverage] = Field(description="Covers in force on the date.")
    urgent_medical_aid_certificate_required: bool = Field(
        description="Whether a DMH certificate is needed for each care (C-04)."
    )
    agreement_number: str | None = Field(
        default=None, description="Payment commitment to copy onto the invoice (C-02)."
    )
    agreement_valid_until: dt.date | None = Field(
        default=None, description="Last day of the guarantee."
    )
