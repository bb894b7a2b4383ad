"""Payment runs: every accepted, unpaid line is paid once. Issue 6 groups per provider."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.invoices import repository as invoices
from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.payments import repository
from invoicing.payments.models import Payment, PaymentRun
from mediprima_contracts.components import PaidLine
from mediprima_contracts.events.invoices import InvoicePaid
from servicekit.messaging.outbox import emit

SOURCE = "invoicing"
ZERO = Decimal("0.00")


class PaymentRunResult(BaseModel):
    run_id: str = Field(description="Id of this run.")
    paid_invoices: int = Field(description="Invoices paid in this run.")
    amount: Decimal = Field(description="Total paid to providers.")


async def run_payments(session: AsyncSession) -> PaymentRunResult:
    """One transaction: a crashed run pays nothing and the next run pays everything once."""
    run_id, now = str(uuid.uuid4()), datetime.now(UTC)
    total, paid_invoices = ZERO, 0
    for invoice in await repository.invoices_with_unpaid_accepted_lines(session):
        lines = [
            line
            for line in invoice.lines
            if line.status == "accepted" and line.payment_reference is None
        ]
        amount = sum(
            ((line.state_share or ZERO) + (line.ocmw_share or ZERO) for line in lines), ZERO
        )
        reference = f"PAY-{now:%Y%m%d}-{uuid.uuid4().hex[:12].upper()}"
        session.add(
            Payment(
                payment_reference=reference,
                run_id=run_id,
                provider=invoice.provider,
                invoice_id=invoice.invoice_id,
                amount=amount,
                paid_at=now,
            )
        )
        for line in lines:
            line.payment_reference = reference
        await invoices.record_status(session, invoice, "paid", now)
        await _publish_paid(session, invoice, lines, reference, amount, now)
        total += amount
        paid_invoices += 1
    session.add(
        PaymentRun(run_id=run_id, started_at=now, paid_invoices=paid_invoices, amount=total)
    )
    return PaymentRunResult(run_id=run_id, paid_invoices=paid_invoices, amount=total)


async def _publish_paid(
    session: AsyncSession,
    invoice: Invoice,
    lines: list[InvoiceLine],
    reference: str,
    amount: Decimal,
    at: datetime,
) -> None:
    await emit(
        session,
        InvoicePaid(
            invoice_id=invoice.invoice_id,
            payment_reference=reference,
            provider=invoice.provider,
            ssin=invoice.ssin,
            paid_at=at,
            amount=amount,
            lines=[
                PaidLine(
                    line_number=line.line_number,
                    date_of_care=line.date_of_care,
                    code=line.code,
                    state_share=line.state_share or ZERO,
                    ocmw_share=line.ocmw_share or ZERO,
                    patient_share=line.patient_share or ZERO,
                    decision_number=line.decision_number,
                    version=line.version,
                    ocmw=line.ocmw,
                    urgent_medical_aid=line.urgent_medical_aid,
                )
                for line in lines
            ],
        ),
        subject=invoice.invoice_id,
        source=SOURCE,
        occurred_at=at,
    )
