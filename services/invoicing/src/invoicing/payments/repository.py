from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.payments.models import Payment


async def latest_for_invoice(session: AsyncSession, invoice_id: str) -> Payment | None:
    return await session.scalar(
        select(Payment)
        .where(Payment.invoice_id == invoice_id)
        .order_by(Payment.paid_at.desc())
        .limit(1)
    )


async def invoices_with_unpaid_accepted_lines(session: AsyncSession) -> list[Invoice]:
    unpaid = (
        select(InvoiceLine.invoice_id)
        .where(InvoiceLine.status == "accepted", InvoiceLine.payment_reference.is_(None))
        .distinct()
    )
    query = (
        select(Invoice)
        .options(selectinload(Invoice.lines))
        .where(Invoice.invoice_id.in_(unpaid))
        .order_by(Invoice.submitted_at, Invoice.invoice_id)
        .with_for_update()
    )
    return list(await session.scalars(query))
