import datetime as dt

from pydantic import BaseModel, Field

from mediprima_contracts.components import Coverage, Finding, Ocmw
from mediprima_contracts.values import Instant


class AgreementView(BaseModel):
    """C-02: what an agreement number guarantees on a day.

    Within the guarantee the coverage is the one the provider saw when consulting, even if the
    OCMW narrowed it since; after it, the coverage is the decision's current one.
    """

    agreement_number: str = Field(description="The agreement number (12 digits).")
    consultation_id: str = Field(description="The consultation that gave it.")
    provider: str = Field(description="RIZIV number of the provider it is bound to.")
    ssin: str = Field(description="The person it is bound to.")
    date: dt.date = Field(description="Date of care asked about when consulting.")
    consulted_at: Instant = Field(description="When the provider consulted.")
    agreement_valid_until: dt.date = Field(description="Last day of the guarantee.")
    on: dt.date = Field(description="Day the guarantee was judged on.")
    guaranteed: bool = Field(description="Whether the guarantee still holds on `on`.")
    covered: bool = Field(description="Whether the coverage shown covers the date of care.")
    decision_number: str | None = Field(default=None, description="Decision of that coverage.")
    version: int | None = Field(
        default=None, description="Version shown: as consulted while guaranteed, else current."
    )
    current_version: int | None = Field(
        default=None, description="The decision's current version, to see it changed since."
    )
    ocmw: Ocmw | None = Field(default=None, description="The OCMW of that decision.")
    coverages: list[Coverage] = Field(description="The coverage shown for the date of care.")
    urgent_medical_aid_certificate_required: bool = Field(
        description="Whether a DMH certificate is needed for each care (C-04)."
    )
    reasons: list[Finding] = Field(
        default_factory=list,
        description="Why nothing is guaranteed (e.g. `C-02` `agreement.expired`) or covered.",
    )
