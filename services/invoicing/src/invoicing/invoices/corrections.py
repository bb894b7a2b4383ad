"""A correcting invoice: the provider's new invoice for the same person that replaces the unpaid
lines of an earlier one (`corrects_invoice_id`). The new one is priced and checked for
duplicates like any other; the cancelled lines are no accepted care, so the corrected care can
be accepted (I-02). A fully paid invoice is credited by the payer instead (I-05)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.cancellations.service import replaceable_lines
from invoicing.invoices import repository
from invoicing.invoices.models import Invoice
from invoicing.invoices.schemas import InvoiceInput
from servicekit.auth import Role
from servicekit.errors import Conflict, Unprocessable
from servicekit.tenancy import Tenant


async def original_to_correct(
    session: AsyncSession, *, request: InvoiceInput, provider: str
) -> Invoice | None:
    """The invoice `request` corrects, locked, or None; refused when it is not the provider's
    own invoice for the same person, or has nothing left to replace."""
    if request.corrects_invoice_id is None:
        return None
    original = await repository.get_with_lines(
        session, request.corrects_invoice_id, Tenant(Role.GP, provider), for_update=True
    )
    if original is None:
        raise Unprocessable.for_rule(
            "I-01",
            "invoice.corrects_unknown",
            f"You have no invoice {request.corrects_invoice_id} to correct",
            field="corrects_invoice_id",
        )
    if original.ssin != request.ssin:
        raise Unprocessable.for_rule(
            "I-01",
            "invoice.corrects_other_person",
            "A correcting invoice is for the same person as the invoice it corrects",
            field="ssin",
        )
    if not replaceable_lines(original):
        if any(line.payment_reference is not None for line in original.lines):
            raise Conflict.for_rule(
                "I-05",
                "correction.invoice_paid",
                f"Invoice {original.invoice_id} is paid: the payer credits it instead",
                field="corrects_invoice_id",
            )
        raise Conflict.for_rule(
            "I-01",
            "correction.invoice_cancelled",
            f"Every line of invoice {original.invoice_id} is already cancelled or credited",
            field="corrects_invoice_id",
        )
    return original
