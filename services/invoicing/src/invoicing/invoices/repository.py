from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import or_, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from invoicing.cancellations.models import InvoiceCancellation
from invoicing.invoices.models import (
    Invoice,
    InvoiceBatch,
    InvoiceCredit,
    InvoiceLine,
    InvoiceStatusChange,
)
from invoicing.invoices.rules import CareKey
from invoicing.invoices.statuses import InvoiceStatus, LineStatus
from servicekit.auth import Role
from servicekit.tenancy import Tenant


async def by_idempotency_key(session: AsyncSession, *, provider: str, key: str) -> Invoice | None:
    return await session.scalar(
        select(Invoice).where(Invoice.provider == provider, Invoice.idempotency_key == key)
    )


async def batch_by_idempotency_key(
    session: AsyncSession, *, provider: str, key: str
) -> InvoiceBatch | None:
    return await session.scalar(
        select(InvoiceBatch).where(
            InvoiceBatch.provider == provider, InvoiceBatch.idempotency_key == key
        )
    )


OWNERS = {Role.GP: Invoice.provider}
"""An invoice belongs to the provider who submitted it."""


async def get_with_lines(
    session: AsyncSession, invoice_id: str, tenant: Tenant, *, for_update: bool = False
) -> Invoice | None:
    query = tenant.restrict(
        select(Invoice)
        .options(selectinload(Invoice.lines))
        .where(Invoice.invoice_id == invoice_id),
        OWNERS,
    )
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def list_for(
    session: AsyncSession,
    tenant: Tenant,
    *,
    status: str | None,
    submitted_from: datetime | None,
    submitted_to: datetime | None,
    offset: int,
    limit: int,
) -> list[Invoice]:
    query = tenant.restrict(select(Invoice).options(selectinload(Invoice.lines)), OWNERS)
    if status is not None:
        query = query.where(Invoice.status == status)
    if submitted_from is not None:
        query = query.where(Invoice.submitted_at >= submitted_from)
    if submitted_to is not None:
        query = query.where(Invoice.submitted_at < submitted_to)
    query = query.order_by(Invoice.submitted_at, Invoice.invoice_id).offset(offset).limit(limit)
    return list(await session.scalars(query))


async def accepted_care(
    session: AsyncSession,
    *,
    provider: str,
    person: str,
    ssin: str,
    care: Sequence[tuple[date, str]],
) -> set[CareKey]:
    """Which of these (date, code) pairs the provider already has accepted for the person (I-02):
    under the person key, whatever number it was billed under, or under this very number (one
    number is one person, also for a line accepted before pricing knew who it was)."""
    if not care:
        return set()
    rows = await session.execute(
        select(InvoiceLine.date_of_care, InvoiceLine.code).where(
            InvoiceLine.provider == provider,
            InvoiceLine.status == LineStatus.ACCEPTED,
            or_(InvoiceLine.person_key == person, InvoiceLine.ssin == ssin),
            tuple_(InvoiceLine.date_of_care, InvoiceLine.code).in_(list(set(care))),
        )
    )
    return {CareKey(provider, person, day, code) for day, code in rows.all()}


async def histories(
    session: AsyncSession, invoice_ids: Sequence[str]
) -> dict[str, list[InvoiceStatusChange]]:
    """Every status change of these invoices, oldest first, in one query."""
    found: dict[str, list[InvoiceStatusChange]] = {invoice_id: [] for invoice_id in invoice_ids}
    for change in await session.scalars(
        select(InvoiceStatusChange)
        .where(InvoiceStatusChange.invoice_id.in_(invoice_ids))
        .order_by(InvoiceStatusChange.id)
    ):
        found[change.invoice_id].append(change)
    return found


async def credits_of(
    session: AsyncSession, invoice_ids: Sequence[str]
) -> dict[str, list[InvoiceCredit]]:
    found: dict[str, list[InvoiceCredit]] = {invoice_id: [] for invoice_id in invoice_ids}
    for credit in await session.scalars(
        select(InvoiceCredit)
        .where(InvoiceCredit.invoice_id.in_(invoice_ids))
        .order_by(InvoiceCredit.credited_at, InvoiceCredit.credit_reference)
    ):
        found[credit.invoice_id].append(credit)
    return found


def record_status(
    session: AsyncSession, invoice: Invoice, status: InvoiceStatus, at: datetime
) -> None:
    """Set the status and keep it in the history; flushed with the rest of the transaction."""
    invoice.status = status
    session.add(InvoiceStatusChange(invoice_id=invoice.invoice_id, status=status, changed_at=at))


async def cancellations_of(
    session: AsyncSession, invoice_ids: Sequence[str]
) -> dict[str, list[InvoiceCancellation]]:
    found: dict[str, list[InvoiceCancellation]] = {invoice_id: [] for invoice_id in invoice_ids}
    for cancellation in await session.scalars(
        select(InvoiceCancellation)
        .where(InvoiceCancellation.invoice_id.in_(invoice_ids))
        .order_by(InvoiceCancellation.cancelled_at, InvoiceCancellation.cancellation_id)
    ):
        found[cancellation.invoice_id].append(cancellation)
    return found
