"""The state's (POD MI / SPP IS) share, fixed by the refund code."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from mediprima_contracts.base import ContractModel

StatePercentage = Literal[0, 50, 100]


class SharePercentages(ContractModel):
    """The state's percentages of the two legal parts of the price."""

    insurance_part_pct: StatePercentage = Field(
        description="Percentage of the insurance part (reimbursement) the state pays."
    )
    patient_share_pct: StatePercentage = Field(
        description="Percentage of the patient share (copayment) the state pays."
    )


class StateShare(ContractModel):
    """The state's percentages per setting of care."""

    hospitalisation: SharePercentages = Field(description="For hospital stays.")
    ambulatory_in_hospital: SharePercentages = Field(
        description="For ambulatory care in a hospital."
    )
    outside_hospital: SharePercentages = Field(description="For care outside hospitals.")
