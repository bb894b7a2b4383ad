from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.values import Money, Ssin
from servicekit.errors import ProblemItem

MAX_LINES = 200
InvoiceStatus = Literal["received", "accepted", "partially_accepted", "rejected", "paid"]


class InvoiceLineInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_number: int = Field(ge=1, description="1..n, unique within the invoice.")
    date_of_care: date = Field(description="Day the care was given.")
    code: str = Field(pattern=r"^\d{6}$", description="Nomenclature code.")
    amount: Money = Field(description="Amount asked, more than zero, two decimals.")

    @field_validator("amount")
    @classmethod
    def _positive(cls, amount: Money) -> Money:
        if amount <= 0:
            raise PydanticCustomError(
                "invoice.amount_not_positive", "the amount must be above zero"
            )
        return amount


class InvoiceInput(BaseModel):
    """One invoice: one person, one provider (the caller), its care lines (I-01)."""

    model_config = ConfigDict(extra="forbid")

    ssin: Ssin = Field(description="The person's INSZ/NISS or BIS number.")
    agreement_number: str | None = Field(
        default=None, pattern=r"^\d{12}$", description="Agreement from the consultation (C-02)."
    )
    lines: list[InvoiceLineInput] = Field(
        min_length=1, max_length=MAX_LINES, description="Care lines."
    )

    @model_validator(mode="after")
    def _lines_numbered_one_to_n(self) -> "InvoiceInput":
        numbers = sorted(line.line_number for line in self.lines)
        if numbers != list(range(1, len(self.lines) + 1)):
            raise ValueError("line numbers must be unique and run from 1 to the number of lines")
        return self


class InvoiceReceived(BaseModel):
    invoice_id: str = Field(description="Id to follow the invoice with.")
    status: InvoiceStatus = Field(description="`received` until adjudicated.")


class LineView(BaseModel):
    line_number: int = Field(description="Line number.")
    date_of_care: date = Field(description="Day of care.")
    code: str = Field(description="Nomenclature code.")
    amount: Money = Field(description="Amount asked.")
    status: Literal["pending", "accepted", "rejected"] = Field(description="Verdict of the line.")
    reasons: list[ProblemItem] = Field(description="Why a line was rejected.")
    state_share: Money | None = Field(description="Paid by the state.")
    ocmw_share: Money | None = Field(description="Paid by the OCMW.")
    patient_share: Money | None = Field(description="Left to the patient.")


class Totals(BaseModel):
    amount: Money = Field(description="Sum of amounts asked.")
    state_share: Money = Field(description="Sum of state shares of accepted lines.")
    ocmw_share: Money = Field(description="Sum of OCMW shares of accepted lines.")
    patient_share: Money = Field(description="Sum of patient shares of accepted lines.")


class PaymentView(BaseModel):
    payment_reference: str = Field(description="Reference of the transfer.")
    paid_at: datetime = Field(description="When it was paid.")
    amount: Money = Field(description="State and OCMW shares paid to the provider.")


class InvoiceView(BaseModel):
    invoice_id: str = Field(description="Invoice id.")
    status: InvoiceStatus = Field(description="Where the invoice stands.")
    ssin: str = Field(description="The person.")
    submitted_at: datetime = Field(description="When it was received.")
    lines: list[LineView] = Field(description="Lines with their verdicts.")
    totals: Totals = Field(description="Totals over the lines.")
    payment: PaymentView | None = Field(default=None, description="Set once paid.")


class InvoicePage(BaseModel):
    items: list[InvoiceView] = Field(description="This page.")
    next_offset: int | None = Field(description="Offset of the next page, if any.")
