"""What an OCMW covers for one care type, and for which period."""

from __future__ import annotations

from enum import StrEnum

from pydantic import Field

from mediprima_contracts.base import ContractModel
from mediprima_contracts.values import NonNegativeMoney, Period, RizivNumber


class CareType(StrEnum):
    """Kinds of care a decision covers, each with its own coverage."""

    HOSPITALISATION = "hospitalisation"
    AMBULATORY_IN_HOSPITAL = "ambulatory_in_hospital"
    GENERAL_MEDICINE = "general_medicine"
    PARAMEDICAL = "paramedical"
    PHARMACEUTICAL = "pharmaceutical"
    PROSTHESES = "prostheses"
    MEDICAL_TRANSPORT = "medical_transport"
    OTHER = "other"


class PaymentLevel(StrEnum):
    """How much of one part of the price the OCMW pays on top of the state."""

    NOTHING = "NOTHING"
    FULL = "FULL"
    PARTIAL = "PARTIAL"


class OcmwPays(ContractModel):
    """What the OCMW pays of each part of the price."""

    insurance_part: PaymentLevel = Field(description="Of the insurance part (reimbursement).")
    patient_share: PaymentLevel = Field(description="Of the patient share (copayment).")
    supplements: PaymentLevel = Field(description="Of supplements (never paid by the state).")


class Coverage(ContractModel):
    """One care type's coverage: period, what the OCMW pays, and who may give the care."""

    care_type: CareType = Field(description="The care type covered.")
    period: Period = Field(description="Days this coverage applies, both included.")
    ocmw_pays: OcmwPays = Field(description="What the OCMW pays on top of the state.")
    patient_share_monthly_cap: NonNegativeMoney | None = Field(
        default=None,
        description="With PARTIAL patient share: most the OCMW pays of it per month.",
    )
    supplements_max: NonNegativeMoney | None = Field(
        default=None, description="With PARTIAL supplements: most the OCMW pays of them."
    )
    prescription_required: bool = Field(
        default=False, description="Care is covered only with a prescription."
    )
    providers: list[RizivNumber] = Field(
        default_factory=list,
        description="Closed list of providers allowed to give this care; empty means any.",
    )
