from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mediprima_contracts.values import Money


class SettlementRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", description="Month paid, YYYY-MM.")


class SettlementStarted(BaseModel):
    settlement_id: str = Field(description="Id of the month's settlement.")
    status: Literal["open", "closed"] = Field(description="open until closed.")


class Totals(BaseModel):
    state_share: Money = Field(description="Refunded by the state (POD MI).")
    ocmw_share: Money = Field(description="Borne by the OCMW.")
    patient_share: Money = Field(description="Left to patients.")
    lines: int = Field(description="Paid lines.")
    invoices: int = Field(description="Invoices with paid lines.")


class OcmwTotals(Totals):
    enterprise_number: str = Field(description="The OCMW.")


class SettlementView(BaseModel):
    settlement_id: str = Field(description="Id.")
    month: str = Field(description="YYYY-MM.")
    status: Literal["open", "closed"] = Field(description="open or closed.")
    totals: Totals = Field(description="The month over all OCMWs.")
    per_ocmw: list[OcmwTotals] = Field(description="One entry per OCMW, by enterprise number.")
