from pydantic import BaseModel, ConfigDict, Field

from invoicing.invoices.schemas import CancellationRecord, CreditReason, ReasonText
from invoicing.invoices.statuses import InvoiceStatus


class CancellationInput(BaseModel):
    """Lines to withdraw before they are paid; all of them when `line_numbers` is absent."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"line_numbers": [2], "reason": "Billed twice by mistake"},
                {"reason": {"code": "invoice.wrong_patient", "message": "Wrong patient"}},
            ]
        },
    )

    line_numbers: list[int] | None = Field(
        default=None, min_length=1, max_length=200, description="Lines to cancel; absent: all."
    )
    reason: CreditReason | ReasonText = Field(description="Why: a text, or `{code, message}`.")


class CancellationView(CancellationRecord):
    invoice_id: str = Field(description="Invoice whose lines were cancelled.")
    status: InvoiceStatus = Field(description="The invoice's status after the cancellation.")
