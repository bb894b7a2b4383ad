from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from mediprima_contracts.values import BOUNDED_MONTH_PATTERN, Instant, Money


class SettlementRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(
        pattern=BOUNDED_MONTH_PATTERN,
        description="Month paid, YYYY-MM: from 2025-09 (the platform's first month) to the "
        "current month (S-01); another month is refused with `settlement.month_out_of_range`.",
        examples=["2025-11"],
    )


class SettlementStarted(BaseModel):
    settlement_id: str = Field(description="Id of the month's settlement.")
    status: Literal["open", "closed"] = Field(description="open until closed.")


class Totals(BaseModel):
    state_share: Money = Field(description="Refunded by the state (POD MI).")
    ocmw_share: Money = Field(description="Borne by the OCMW.")
    patient_share: Money = Field(description="Left to patients.")
    total: Money = Field(description="State share + OCMW share + patient share (S-04).")
    lines: int = Field(description="Ledger lines: paid lines and credits.")
    invoices: int = Field(description="Invoices with paid or credited lines.")


class OcmwTotals(Totals):
    enterprise_number: str = Field(description="The OCMW.")
    name: str = Field(description="Its name in its language, as the statement shows it.")
    language: Literal["nl", "fr"] = Field(description="Language of its statement.")


class Reconciliation(BaseModel):
    """S-04: what the run checked; a run that does not reconcile is refused, never stored."""

    reconciled: bool = Field(description="Ledger = funder file = all OCMW statements.")
    ledger: Totals = Field(description="The month's ledger, summed by the database.")
    funder_file: Totals = Field(description="What the funder file's lines add up to.")
    ocmw_statements: Totals = Field(
        description="What all OCMW statements' lines add up to (invoices counted per OCMW)."
    )
    statements: int = Field(description="Number of OCMW statements.")


class SettlementView(BaseModel):
    settlement_id: str = Field(description="Id.")
    month: str = Field(description="YYYY-MM.")
    status: Literal["open", "closed"] = Field(description="open or closed.")
    computed_at: Instant = Field(description="When the month was last computed.")
    closed_at: Instant | None = Field(description="When it was closed, if it is.")
    totals: Totals = Field(description="The month over all OCMWs.")
    per_ocmw: list[OcmwTotals] = Field(description="One entry per OCMW, by enterprise number.")
    reconciliation: Reconciliation | None = Field(description="The last run's report (S-04).")
    files: dict[str, str] = Field(
        description="SHA-256 of each file by name: CSV and JSON after a run, PDFs too once closed."
    )


class SettlementMonth(BaseModel):
    settlement_id: str = Field(description="Id of the month's settlement.")
    month: str = Field(description="YYYY-MM.")
    status: Literal["open", "closed"] = Field(description="open or closed.")
    computed_at: Instant = Field(description="When the month was last computed.")
    closed_at: Instant | None = Field(description="When it was closed, if it is.")


class SettlementMonthPage(BaseModel):
    items: list[SettlementMonth] = Field(description="Settled months, newest first.")
    next_offset: int | None = Field(description="Offset of the next page, if any.")
