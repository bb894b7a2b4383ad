"""Events of the pricing family (topic `mediprima.pricing`, keyed by invoice id)."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from mediprima_contracts.components import PricedLine, ensure_unique_line_numbers
from mediprima_contracts.envelope import EventData
from mediprima_contracts.events import topics
from mediprima_contracts.values import Identifier, PersonId, RizivNumber, Ssin


class InvoicePriced(EventData):
    """The payer checked and priced every line of an invoice (I-02, T-06)."""

    event_type = "mediprima.invoice.priced"
    event_version = 1
    topic = topics.PRICING
    subject_field = "invoice_id"

    invoice_id: Identifier = Field(description="Id of the invoice.")
    provider: RizivNumber = Field(description="RIZIV number of the invoicing provider.")
    ssin: Ssin = Field(description="SSIN of the patient.")
    person_id: PersonId | None = Field(
        default=None,
        description="The person's identity in the registry, the same under every number (D-08); "
        "absent when no decision knows the person.",
    )
    lines: list[PricedLine] = Field(min_length=1, description="Verdict and shares per line.")

    @model_validator(mode="after")
    def _unique_line_numbers(self) -> Self:
        ensure_unique_line_numbers(self.lines)
        return self
