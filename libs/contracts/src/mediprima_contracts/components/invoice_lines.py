"""Invoice lines as submitted, as priced, and as paid."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum
from typing import Protocol, Self

from pydantic import Field, model_validator
from pydantic_core import PydanticCustomError

from mediprima_contracts.base import ContractModel
from mediprima_contracts.components.finding import Finding
from mediprima_contracts.values import (
    DecisionNumber,
    EnterpriseNumber,
    Identifier,
    NomenclatureCode,
    NonNegativeMoney,
)


class Verdict(StrEnum):
    """The payer's verdict on one line (I-03)."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"


class AdjudicationStatus(StrEnum):
    """An invoice's outcome, derived from its lines' verdicts."""

    ACCEPTED = "accepted"
    PARTIALLY_ACCEPTED = "partially_accepted"
    REJECTED = "rejected"

    @classmethod
    def from_verdicts(cls, verdicts: Iterable[Verdict]) -> AdjudicationStatus:
        seen = set(verdicts)
        if seen == {Verdict.ACCEPTED}:
            return cls.ACCEPTED
        if Verdict.ACCEPTED in seen:
            return cls.PARTIALLY_ACCEPTED
        return cls.REJECTED


class InvoiceLine(ContractModel):
    """One line of an invoice as the provider submitted it (I-01)."""

    line_number: int = Field(ge=1, description="Position of the line in the invoice, from 1.")
    date_of_care: date = Field(description="Day the care was given (admission for a stay).")
    code: NomenclatureCode = Field(description="RIZIV nomenclature code, 6 digits.")
    amount: NonNegativeMoney = Field(description="Amount the provider asks for this line.")
    admission_date: date | None = Field(
        default=None,
        description="Admission day of the hospital stay the care belongs to: the OCMW competent "
        "then stays competent for the whole stay (D-14).",
    )


class PricedLine(ContractModel):
    """The payer's verdict on one line and how its price is split (T-06, I-03)."""

    line_number: int = Field(ge=1, description="The submitted line this verdict is about.")
    date_of_care: date = Field(description="Day the care was given.")
    code: NomenclatureCode = Field(description="RIZIV nomenclature code, 6 digits.")
    verdict: Verdict = Field(description="Accepted or rejected.")
    fee: NonNegativeMoney = Field(description="Official fee in force on the date of care.")
    state_share: NonNegativeMoney = Field(description="Paid by the state (via the payer).")
    ocmw_share: NonNegativeMoney = Field(description="Paid by the OCMW from its own funds.")
    patient_share: NonNegativeMoney = Field(description="Left for the patient to pay.")
    reasons: list[Finding] = Field(
        description="Why the line was rejected (at least one), or remarks on an accepted line."
    )
    decision_number: DecisionNumber | None = Field(
        default=None, description="Decision the line was priced against, if any."
    )
    version: int | None = Field(default=None, ge=1, description="Version of that decision.")
    ocmw: EnterpriseNumber | None = Field(
        default=None, description="Enterprise number of the OCMW of that decision."
    )
    urgent_medical_aid: bool = Field(description="Priced as urgent medical aid (DMH/AMU).")
    health_fund_share: NonNegativeMoney = Field(
        default=NonNegativeMoney("0.00"),
        description="For an insured person, the health fund's part (the reimbursement, T-02): "
        "shown so the shares reconcile to the amount, charged to nobody on this platform.",
    )
    certificate_number: Identifier | None = Field(
        default=None,
        description="The urgent-aid certificate the line relies on (C-04), if any.",
    )

    @model_validator(mode="after")
    def _rejection_has_a_reason(self) -> Self:
        if self.verdict is Verdict.REJECTED and not self.reasons:
            raise PydanticCustomError(
                "line.rejected_without_reason", "a rejected line carries at least one reason"
            )
        return self


class PaidLine(ContractModel):
    """A line the payer paid, with the references the settlement needs (S-03)."""

    line_number: int = Field(ge=1, description="The submitted line that was paid.")
    date_of_care: date = Field(description="Day the care was given.")
    code: NomenclatureCode = Field(description="RIZIV nomenclature code, 6 digits.")
    state_share: NonNegativeMoney = Field(description="Paid by the state (via the payer).")
    ocmw_share: NonNegativeMoney = Field(description="Paid by the OCMW from its own funds.")
    patient_share: NonNegativeMoney = Field(description="Left for the patient to pay.")
    decision_number: DecisionNumber = Field(description="Decision the line was paid under.")
    version: int = Field(ge=1, description="Version of that decision.")
    ocmw: EnterpriseNumber = Field(description="Enterprise number of the OCMW of that decision.")
    urgent_medical_aid: bool = Field(description="Paid as urgent medical aid (DMH/AMU).")
    certificate_number: Identifier | None = Field(
        default=None,
        description="The urgent-aid certificate the paid line relies on (C-04), if any.",
    )


class _NumberedLine(Protocol):
    @property
    def line_number(self) -> int: ...


def ensure_unique_line_numbers(lines: Sequence[_NumberedLine]) -> None:
    """Raise `invoice.duplicate_line_number` when two lines share a number."""
    numbers = [line.line_number for line in lines]
    if len(numbers) != len(set(numbers)):
        raise PydanticCustomError(
            "invoice.duplicate_line_number", "line numbers are unique within an invoice"
        )
