"""Events of the invoice family (topic `mediprima.invoices`, keyed by invoice id)."""

from __future__ import annotations

from datetime import date
from typing import Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.components import (
    AdjudicationStatus,
    Finding,
    InvoiceLine,
    PaidLine,
    PricedLine,
    ensure_unique_line_numbers,
)
from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import topics
from mediprima_contracts.values import (
    Identifier,
    Instant,
    Money,
    NonNegativeMoney,
    PersonId,
    RizivNumber,
    Ssin,
)


class InvoiceSubmitted(EventData):
    """A provider submitted an invoice for one person (I-01)."""

    event_type = "mediprima.invoice.submitted"
    event_version = 1
    topic = topics.INVOICES
    subject_field = "invoice_id"

    invoice_id: Identifier = Field(description="Id of the invoice.")
    provider: RizivNumber = Field(description="RIZIV number of the invoicing provider.")
    ssin: Ssin = Field(description="SSIN of the patient.")
    agreement_number: Identifier | None = Field(
        default=None, description="Agreement number from a consultation (C-02), if any."
    )
    submitted_at: Instant = Field(description="When the invoice was received.")
    lines: list[InvoiceLine] = Field(min_length=1, description="The invoice's lines.")
    issued_on: date | None = Field(
        default=None,
        description="Day the provider issued the invoice: a C-02 guarantee covers invoices issued "
        "within its 30 days. Absent on invoices from before it was recorded: the submission day "
        "counts.",
    )
    corrects_invoice_id: Identifier | None = Field(
        default=None,
        description="The provider's earlier invoice this one corrects (its lines were cancelled).",
    )

    @model_validator(mode="after")
    def _unique_line_numbers(self) -> Self:
        ensure_unique_line_numbers(self.lines)
        return self


class InvoiceAdjudicated(EventData):
    """The payer's verdicts were recorded on the invoice (I-03)."""

    event_type = "mediprima.invoice.adjudicated"
    event_version = 1
    topic = topics.INVOICES
    subject_field = "invoice_id"

    invoice_id: Identifier = Field(description="Id of the invoice.")
    provider: RizivNumber = Field(description="RIZIV number of the invoicing provider.")
    ssin: Ssin = Field(description="SSIN of the patient.")
    person_id: PersonId | None = Field(
        default=None,
        description="The person's identity in the registry, the same under every number (D-08); "
        "absent when no decision knows the person.",
    )
    status: AdjudicationStatus = Field(description="Outcome derived from the line verdicts.")
    lines: list[PricedLine] = Field(min_length=1, description="Verdict and shares per line.")
    adjudicated_at: Instant = Field(description="When the verdicts were recorded.")

    @model_validator(mode="after")
    def _status_follows_verdicts(self) -> Self:
        ensure_unique_line_numbers(self.lines)
        if self.status is not AdjudicationStatus.from_verdicts(line.verdict for line in self.lines):
            raise PydanticCustomError(
                "invoice.status_mismatch", "the status does not follow from the line verdicts"
            )
        return self


class InvoicePaid(EventData):
    """The payer paid the accepted lines of an invoice to the provider (I-05)."""

    event_type = "mediprima.invoice.paid"
    event_version = 1
    topic = topics.INVOICES
    subject_field = "invoice_id"

    invoice_id: Identifier = Field(description="Id of the invoice.")
    payment_reference: Identifier = Field(description="Reference of the payment.")
    provider: RizivNumber = Field(description="RIZIV number of the paid provider.")
    ssin: Ssin = Field(description="SSIN of the patient.")
    person_id: PersonId | None = Field(
        default=None,
        description="The person's identity in the registry, the same under every number (D-08); "
        "absent when no decision knows the person.",
    )
    paid_at: Instant = Field(description="When the payment was made.")
    amount: NonNegativeMoney = Field(
        description="Amount paid to the provider: the lines' state and OCMW shares together."
    )
    lines: list[PaidLine] = Field(min_length=1, description="The lines paid.")

    @model_validator(mode="after")
    def _amount_is_what_the_payer_owes(self) -> Self:
        ensure_unique_line_numbers(self.lines)
        owed = Money.total(line.state_share + line.ocmw_share for line in self.lines)
        if self.amount != owed:
            raise PydanticCustomError(
                "invoice.paid_amount_mismatch",
                "the amount paid is the sum of the lines' state and OCMW shares",
            )
        return self


class InvoiceLinesCredited(EventData):
    """The payer took back accepted lines of an invoice: a correction, before or after payment.

    Nothing is rewritten: settlement books a credit of paid lines, with negative shares, in the
    month it happens, referring to the payment it corrects (S-04).
    """

    event_type = "mediprima.invoice.lines-credited"
    event_version = 1
    topic = topics.INVOICES
    subject_field = "invoice_id"

    credit_reference: Identifier = Field(description="Reference of this credit.")
    invoice_id: Identifier = Field(description="Id of the invoice whose lines are credited.")
    provider: RizivNumber = Field(description="RIZIV number of the invoicing provider.")
    ssin: Ssin = Field(description="SSIN of the patient.")
    person_id: PersonId | None = Field(
        default=None,
        description="The person's identity in the registry, the same under every number (D-08); "
        "absent when no decision knows the person.",
    )
    credited_at: Instant = Field(description="When the credit was made.")
    payment_reference: Identifier | None = Field(
        default=None,
        description="The payment these lines were paid in; absent when credited before payment.",
    )
    reason: Finding = Field(description="Why the lines were credited.")
    lines: list[PaidLine] = Field(
        min_length=1, description="The credited lines with the shares taken back (as paid)."
    )

    @model_validator(mode="after")
    def _unique_line_numbers(self) -> Self:
        ensure_unique_line_numbers(self.lines)
        return self


class InvoiceLinesCancelled(EventData):
    """The provider cancelled lines of its invoice before they were paid; they will never be."""

    event_type = "mediprima.invoice.lines-cancelled"
    event_version = 1
    topic = topics.INVOICES
    subject_field = "invoice_id"

    invoice_id: Identifier = Field(description="Id of the invoice.")
    provider: RizivNumber = Field(description="RIZIV number of the invoicing provider.")
    ssin: Ssin = Field(description="SSIN of the patient.")
    person_id: PersonId | None = Field(
        default=None, description="The person's identity in the registry (D-08), when known."
    )
    cancelled_at: Instant = Field(description="When the lines were cancelled.")
    line_numbers: list[int] = Field(
        min_length=1, max_length=1000, description="The cancelled lines."
    )
    replaced_by: Identifier | None = Field(
        default=None, description="The correcting invoice, when the lines were replaced by one."
    )
