from datetime import date
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from invoicing.invoices.statuses import InvoiceStatus, LineStatus
from mediprima_contracts.values import BoundedDate, Instant, Money, Ssin
from servicekit.errors import Problem, ProblemItem
from servicekit.paging import MAX_OFFSET

MAX_LINES = 200
MAX_BATCH_INVOICES = 1000
MAX_LINE_NUMBER = 9999
MAX_LINE_AMOUNT = Money("1000000.00")
"""No line of medical care asked from the payer comes near; the bound keeps every amount within
the cents columns of every database."""


class InvoiceLineInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_number: int = Field(
        ge=1, le=MAX_LINE_NUMBER, description="1..n, unique within the invoice."
    )
    date_of_care: BoundedDate = Field(description="Day the care was given; not in the future.")
    code: str = Field(pattern=r"^\d{6}$", description="Nomenclature code, 6 digits.")
    amount: Money = Field(
        description=f"Amount asked, more than zero and at most {MAX_LINE_AMOUNT}, two decimals."
    )
    admission_date: BoundedDate | None = Field(
        default=None,
        description="Admission day of the hospital stay the care belongs to, if any; not after "
        "the date of care. The OCMW competent at admission stays competent for the stay (D-14).",
    )

    @field_validator("line_number", mode="before")
    @classmethod
    def _whole_number(cls, value: object) -> object:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("a line number is a whole number")
        return value

    @field_validator("amount")
    @classmethod
    def _positive(cls, amount: Money) -> Money:
        if amount <= 0:
            raise ValueError("the amount must be above zero")
        if amount > MAX_LINE_AMOUNT:
            raise ValueError(f"the amount must be at most {MAX_LINE_AMOUNT}")
        return amount


class InvoiceInput(BaseModel):
    """One invoice: one person, one provider (the caller), its care lines (I-01)."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "ssin": "85073003328",
                    "agreement_number": "000000000042",
                    "issued_on": "2026-11-20",
                    "lines": [
                        {
                            "line_number": 1,
                            "date_of_care": "2026-11-18",
                            "code": "101032",
                            "amount": "33.51",
                        },
                        {
                            "line_number": 2,
                            "date_of_care": "2026-11-19",
                            "code": "101032",
                            "amount": "33.51",
                            "admission_date": "2026-11-17",
                        },
                    ],
                }
            ]
        },
    )

    ssin: Ssin = Field(description="The person's INSZ/NISS or BIS number.")
    agreement_number: str | None = Field(
        default=None, pattern=r"^\d{12}$", description="Agreement from the consultation (C-02)."
    )
    issued_on: BoundedDate | None = Field(
        default=None,
        description="Day the provider issued the invoice (`YYYY-MM-DD`), not after the day it is "
        "submitted nor before a line's care. A C-02 guarantee covers invoices issued within the 30 "
        "days of the consultation. When absent the submission day is used, so GP software "
        "integrated on the first v1 contract keeps working unchanged.",
    )
    corrects_invoice_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=36,
        description="The caller's earlier invoice, for the same person, that this one corrects: "
        "its unpaid lines are cancelled when this one is received. Refused (409) when all of its "
        "lines were paid: credit them instead.",
    )
    lines: list[InvoiceLineInput] = Field(
        min_length=1, max_length=MAX_LINES, description=f"Care lines, at most {MAX_LINES}."
    )


class InvoiceReceived(BaseModel):
    invoice_id: str = Field(description="Id to follow the invoice with.")
    status: InvoiceStatus = Field(description="`received` until adjudicated.")


class BatchItemResult(BaseModel):
    index: int = Field(description="Position of the invoice in the batch, from 0.")
    invoice_id: str | None = Field(default=None, description="Set when the invoice was received.")
    status: Literal["received", "refused"] = Field(description="Received or refused.")
    problem: Problem | None = Field(default=None, description="Why it was refused (422).")


class BatchReceived(BaseModel):
    batch_id: str = Field(description="Id of the batch.")
    received: int = Field(description="Invoices received for pricing.")
    refused: int = Field(description="Invoices refused; nothing of them was stored.")
    results: list[BatchItemResult] = Field(description="One answer per invoice, in order.")


class LineView(BaseModel):
    line_number: int = Field(description="Line number.")
    date_of_care: date = Field(description="Day of care.")
    admission_date: date | None = Field(
        default=None, description="Admission day of the hospital stay, when the GP gave one."
    )
    code: str = Field(description="Nomenclature code.")
    amount: Money = Field(description="Amount asked.")
    status: LineStatus = Field(
        description="Verdict of the line; `credited` once the payer took it back, `cancelled` once "
        "the provider withdrew it before payment."
    )
    reasons: list[ProblemItem] = Field(description="Why a line was rejected.")
    state_share: Money | None = Field(description="Paid by the state.")
    ocmw_share: Money | None = Field(description="Paid by the OCMW.")
    patient_share: Money | None = Field(description="Left to the patient.")
    health_fund_share: Money | None = Field(
        default=None,
        description="For an insured person, the health fund's part (T-02): shown so the shares "
        "reconcile to the fee, charged to nobody on this platform.",
    )
    certificate_number: str | None = Field(
        default=None, description="The urgent-aid certificate the line relies on (C-04), if any."
    )
    payment_reference: str | None = Field(default=None, description="Payment that paid it.")
    credit_reference: str | None = Field(default=None, description="Credit that took it back.")


class Totals(BaseModel):
    amount: Money = Field(description="Sum of amounts asked.")
    state_share: Money = Field(description="Sum of state shares of accepted lines.")
    ocmw_share: Money = Field(description="Sum of OCMW shares of accepted lines.")
    patient_share: Money = Field(description="Sum of patient shares of accepted lines.")


class PaymentView(BaseModel):
    payment_reference: str = Field(description="Reference of the provider's transfer.")
    paid_at: Instant = Field(description="When it was paid.")
    amount: Money = Field(description="State and OCMW shares of this invoice's paid lines.")


class StatusChangeView(BaseModel):
    status: InvoiceStatus = Field(description="Status entered.")
    changed_at: Instant = Field(description="When.")


class CreditView(BaseModel):
    credit_reference: str = Field(description="Reference of the credit.")
    credited_at: Instant = Field(description="When the lines were taken back.")
    line_numbers: list[int] = Field(description="Lines credited.")
    amount: Money = Field(description="State and OCMW shares taken back.")
    payment_reference: str | None = Field(description="Payment corrected, if already paid.")
    reason: ProblemItem = Field(description="Why.")


class CancellationRecord(BaseModel):
    cancellation_id: str = Field(description="Id of the cancellation.")
    line_numbers: list[int] = Field(description="Lines cancelled.")
    cancelled_at: Instant = Field(description="When.")
    reason: ProblemItem = Field(description="Why.")
    replaced_by: str | None = Field(
        default=None, description="The correcting invoice that replaced the lines, if any."
    )


class InvoiceView(BaseModel):
    invoice_id: str = Field(description="Invoice id.")
    status: InvoiceStatus = Field(description="Where the invoice stands.")
    ssin: str = Field(description="The person.")
    provider: str = Field(description="RIZIV number of the provider who submitted it.")
    agreement_number: str | None = Field(default=None, description="Agreement quoted, if any.")
    issued_on: date = Field(
        description="Day the provider issued the invoice (the submission day when it gave none)."
    )
    corrects_invoice_id: str | None = Field(
        default=None, description="The earlier invoice this one corrects, if any."
    )
    submitted_at: Instant = Field(description="When it was received.")
    lines: list[LineView] = Field(description="Lines with their verdicts.")
    totals: Totals = Field(description="Totals over the lines.")
    payment: PaymentView | None = Field(default=None, description="Set once paid.")
    history: list[StatusChangeView] = Field(description="Every status, oldest first.")
    credits: list[CreditView] = Field(default_factory=list, description="Credits, oldest first.")
    cancellations: list[CancellationRecord] = Field(
        default_factory=list, description="Lines the provider withdrew, oldest first."
    )


class InvoiceSearch(BaseModel):
    """What to find; every criterion given must hold. The person travels in this body, never in
    a URL (a national number stays out of access logs, proxies and browser histories)."""

    model_config = ConfigDict(extra="forbid")

    status: InvoiceStatus | None = Field(default=None, description="Where the invoice stands.")
    submitted_from: AwareDatetime | None = Field(
        default=None, description="Submitted at or after.", examples=["2026-11-01T00:00:00Z"]
    )
    submitted_to: AwareDatetime | None = Field(
        default=None, description="Submitted before.", examples=["2026-12-01T00:00:00Z"]
    )
    provider: str | None = Field(
        default=None,
        pattern=r"^\d{8}(\d{3})?$",
        description="RIZIV number of the provider who submitted it (operators).",
        examples=["10000106003"],
    )
    ssin: Ssin | None = Field(
        default=None,
        description="The person: invoices under this INSZ/NISS or BIS number, and under the "
        "person's other numbers (D-08).",
    )
    refusal_code: str | None = Field(
        default=None,
        min_length=1,
        max_length=80,
        pattern=r"^[A-Za-z0-9._-]+$",
        description="Invoices with a line refused for a reason whose code contains this text "
        "(`code.unknown`, `unknown`) or whose rule is this id (`T-01`); any case.",
        examples=["code.unknown"],
    )
    order: Literal["newest_first", "oldest_first"] = Field(
        default="newest_first", description="By submission time."
    )
    offset: int = Field(default=0, ge=0, le=MAX_OFFSET, description="Invoices to skip.")
    limit: int = Field(default=50, ge=1, le=200, description="Invoices per page.")


class InvoicePage(BaseModel):
    items: list[InvoiceView] = Field(description="This page.")
    next_offset: int | None = Field(description="Offset of the next page, if any.")


class CreditReason(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(
        default="invoice.line_credited",
        pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*$",
        description="Stable machine code of the reason.",
    )
    message: str = Field(min_length=1, max_length=500, description="Why; no medical details.")


ReasonText = Annotated[str, Field(min_length=1, max_length=500)]
"""A reason given as plain text: a CreditReason's message, held to the same bounds (an empty
one was let through to fail later)."""


class CreditInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    line_numbers: list[int] = Field(min_length=1, description="Accepted lines to take back.")
    reason: CreditReason | ReasonText = Field(description="Why: a text, or `{code, message}`.")


class CreditCreated(BaseModel):
    credit_reference: str = Field(description="Reference of the credit.")
    invoice_id: str = Field(description="Invoice credited.")
    line_numbers: list[int] = Field(description="Lines credited.")
    amount: Money = Field(description="State and OCMW shares taken back.")
    payment_reference: str | None = Field(description="Payment corrected, if already paid.")
    recovery_amount: Money | None = Field(
        default=None,
        description="When the lines had been paid: what the provider owes back, offset from its "
        "next payments (I-05).",
    )
