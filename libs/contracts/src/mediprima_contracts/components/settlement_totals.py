"""Totals of a monthly settlement."""

from __future__ import annotations

from pydantic import Field

from mediprima_contracts.base import ContractModel
from mediprima_contracts.values import Money


class SettlementTotals(ContractModel):
    """What a month's settlement adds up to (S-04); corrections may make shares negative."""

    state_share: Money = Field(description="Sum of the state shares of the month's lines.")
    ocmw_share: Money = Field(description="Sum of the OCMW shares of the month's lines.")
    patient_share: Money = Field(description="Sum of the patient shares of the month's lines.")
    lines: int = Field(ge=0, description="Number of invoice lines settled.")
    invoices: int = Field(ge=0, description="Number of invoices those lines belong to.")
