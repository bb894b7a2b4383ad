from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from invoicing.invoices.models import Invoice, InvoiceStatusChange


async def by_idempotency_key(session: AsyncSession, *, provider: str, key: str) -> Invoice | None:
    return await session.scalar(
        select(Invoice).where(Invoice.provider == provider, Invoice.idempotency_key == key)
    )


async def get_with_lines(session: AsyncSession, invoice_id: str) -> Invoice | None:
    return await session.scalar(
        select(Invoice).options(selectinload(Invoice.lines)).where(Invoice.invoice_id == invoice_id)
    )


async def list_for(
    session: AsyncSession,
    *,
    provider: str | None,
    status: str | None,
    submitted_from: datetime | None,
    submitted_to: datetime | None,
    offset: int,
    limit: int,
) -> list[Invoice]:
    query = select(Invoice).options(selectinload(Invoice.lines))
    if provider is not None:
        query = query.where(Invoice.provider == provider)
    if status is not None:
        query = query.where(Invoice.status == status)
    if submitted_from is not None:
        query = query.where(Invoice.submitted_at >= submitted_from)
    if submitted_to is not None:
        query = query.where(Invoice.submitted_at < submitted_to)
    query = query.order_by(Invoice.submitted_at, Invoice.invoice_id).offset(offset).limit(limit)
    return list(await session.scalars(query))


async def record_status(session: AsyncSession, invoice: Invoice, status: str, at: datetime) -> None:
    invoice.status = status
    session.add(InvoiceStatusChange(invoice_id=invoice.invoice_id, status=status, changed_at=at))
    await session.flush()
