"""The transition an insurable person gets to join a health insurance fund (D-11)."""

from __future__ import annotations

from pydantic import Field

from mediprima_contracts.base import ContractModel
from mediprima_contracts.components.decision_terms import InsurabilityExtensionReason


class InsurabilityExtension(ContractModel):
    """The one extension of the 3-month insurability transition, with its reason (D-11)."""

    reason: InsurabilityExtensionReason = Field(description="Why affiliation takes longer.")
    explanation: str = Field(
        min_length=1,
        max_length=500,
        description="The OCMW's well-founded reason, in words; never medical information.",
    )
