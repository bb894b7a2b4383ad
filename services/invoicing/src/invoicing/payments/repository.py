from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Table, bindparam, case, distinct, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.repository import LINES
from invoicing.invoices.statuses import LineStatus, PaymentRunStatus
from invoicing.payments.models import (
    InvoicePayment,
    PaymentRun,
    ProviderPayment,
    Recovery,
    RecoveryOffset,
)
from servicekit.db import table_of

ZERO = Decimal("0.00")
INVOICE_PAYMENTS: Table = table_of(InvoicePayment)

UNPAID = (InvoiceLine.status == LineStatus.ACCEPTED, InvoiceLine.payment_reference.is_(None))


async def latest_for_invoices(
    session: AsyncSession, invoice_ids: Sequence[str]
) -> dict[str, InvoicePayment]:
    """The latest payment of each of these invoices that was paid, in one query."""
    found: dict[str, InvoicePayment] = {}
    for payment in await session.scalars(
        select(InvoicePayment)
        .where(InvoicePayment.invoice_id.in_(invoice_ids))
        .order_by(InvoicePayment.paid_at)
    ):
        found[payment.invoice_id] = payment
    return found


async def unfinished_run(session: AsyncSession) -> PaymentRun | None:
    return await session.scalar(
        select(PaymentRun)
        .where(PaymentRun.status == PaymentRunStatus.RUNNING)
        .order_by(PaymentRun.started_at)
        .limit(1)
        .with_for_update()
    )


async def run(session: AsyncSession, run_id: str, *, lock: bool = False) -> PaymentRun | None:
    return await session.get(PaymentRun, run_id, with_for_update=lock)


async def runs_page(
    session: AsyncSession, *, status: PaymentRunStatus | None, offset: int, limit: int
) -> list[PaymentRun]:
    query = select(PaymentRun)
    if status is not None:
        query = query.where(PaymentRun.status == status)
    return list(
        await session.scalars(
            query.order_by(PaymentRun.started_at.desc(), PaymentRun.run_id)
            .offset(offset)
            .limit(limit)
        )
    )


async def providers_to_pay(session: AsyncSession) -> list[str]:
    rows = await session.scalars(
        select(InvoiceLine.provider).where(*UNPAID).distinct().order_by(InvoiceLine.provider)
    )
    return [provider for provider in rows if provider is not None]


async def paid_in_run(session: AsyncSession, run_id: str, provider: str) -> bool:
    found = await session.scalar(
        select(ProviderPayment.payment_reference).where(
            ProviderPayment.run_id == run_id, ProviderPayment.provider == provider
        )
    )
    return found is not None


async def claim_invoices_of(session: AsyncSession, provider: str) -> list[Invoice]:
    """The provider's invoices with accepted, unpaid lines, locked (invoice first, as credits
    lock them) so a concurrent run or credit waits and then sees these lines paid."""
    unpaid = select(InvoiceLine.invoice_id).where(InvoiceLine.provider == provider, *UNPAID)
    return list(
        await session.scalars(
            select(Invoice)
            .options(selectinload(Invoice.lines))
            .where(Invoice.invoice_id.in_(unpaid))
            .order_by(Invoice.invoice_id)
            .with_for_update()
        )
    )


class LineClaim(NamedTuple):
    invoice_id: str
    line_number: int
    payment_delay_seconds: int


async def claim_lines(
    session: AsyncSession, claims: Sequence[LineClaim], *, reference: str, paid_at: datetime
) -> None:
    """Mark these lines paid under `reference`, in one executemany; their loaded entities are
    not updated."""
    if not claims:
        return
    await session.execute(
        update(LINES).where(
            LINES.c.invoice_id == bindparam("key_invoice_id"),
            LINES.c.line_number == bindparam("key_line_number"),
        ),
        [
            {
                "key_invoice_id": claim.invoice_id,
                "key_line_number": claim.line_number,
                "payment_reference": reference,
                "paid_at": paid_at,
                "payment_delay_seconds": claim.payment_delay_seconds,
            }
            for claim in claims
        ],
    )


async def add_invoice_payments(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(INVOICE_PAYMENTS), list(rows))


async def run_payments(session: AsyncSession, run_id: str) -> list[ProviderPayment]:
    return list(
        await session.scalars(
            select(ProviderPayment)
            .where(ProviderPayment.run_id == run_id)
            .order_by(ProviderPayment.provider)
        )
    )


async def invoices_paid_in_run(session: AsyncSession, run_id: str) -> int:
    references = select(ProviderPayment.payment_reference).where(ProviderPayment.run_id == run_id)
    invoices = await session.scalar(
        select(func.count(distinct(InvoicePayment.invoice_id))).where(
            InvoicePayment.payment_reference.in_(references)
        )
    )
    return int(invoices or 0)


class OffsetRow(NamedTuple):
    payment_reference: str
    credit_reference: str
    invoice_id: str
    amount: Decimal


async def outstanding_recoveries(session: AsyncSession, provider: str) -> list[Recovery]:
    """What the provider still owes back, oldest first, locked for the payment offsetting it."""
    return list(
        await session.scalars(
            select(Recovery)
            .where(Recovery.provider == provider, Recovery.outstanding > ZERO)
            .order_by(Recovery.created_at, Recovery.credit_reference)
            .with_for_update()
        )
    )


async def open_recoveries(session: AsyncSession, provider: str) -> list[Recovery]:
    return list(
        await session.scalars(
            select(Recovery)
            .where(Recovery.provider == provider, Recovery.outstanding > ZERO)
            .order_by(Recovery.created_at, Recovery.credit_reference)
        )
    )


async def offsets_of(session: AsyncSession, payment_references: Sequence[str]) -> list[OffsetRow]:
    rows = await session.execute(
        select(
            RecoveryOffset.payment_reference,
            RecoveryOffset.credit_reference,
            Recovery.invoice_id,
            RecoveryOffset.amount,
        )
        .join(Recovery, Recovery.credit_reference == RecoveryOffset.credit_reference)
        .where(RecoveryOffset.payment_reference.in_(payment_references))
        .order_by(Recovery.created_at, Recovery.credit_reference)
    )
    return [OffsetRow(*row) for row in rows.all()]


async def payments_of(
    session: AsyncSession, provider: str, *, offset: int, limit: int
) -> list[ProviderPayment]:
    return list(
        await session.scalars(
            select(ProviderPayment)
            .where(ProviderPayment.provider == provider)
            .order_by(ProviderPayment.paid_at.desc(), ProviderPayment.payment_reference)
            .offset(offset)
            .limit(limit)
        )
    )


async def invoice_payments_of(
    session: AsyncSession, payment_references: Sequence[str]
) -> list[InvoicePayment]:
    return list(
        await session.scalars(
            select(InvoicePayment)
            .where(InvoicePayment.payment_reference.in_(payment_references))
            .order_by(InvoicePayment.invoice_id)
        )
    )


class DelayTotals(NamedTuple):
    lines: int
    total_seconds: int
    over_max: int


async def delay_totals(
    session: AsyncSession, *, paid_from: datetime, paid_before: datetime, over_seconds: int
) -> DelayTotals:
    """Count, sum and lines over the limit of the delays of lines paid in [from, before)."""
    delay = InvoiceLine.payment_delay_seconds
    row = (
        await session.execute(
            select(
                func.count(delay),
                func.coalesce(func.sum(delay), 0),
                func.coalesce(func.sum(case((delay > over_seconds, 1), else_=0)), 0),
            ).where(*_paid_between(paid_from, paid_before))
        )
    ).one()
    return DelayTotals(int(row[0]), int(row[1]), int(row[2]))


async def delay_at_rank(
    session: AsyncSession, *, paid_from: datetime, paid_before: datetime, rank: int
) -> int | None:
    """The `rank`-th smallest delay (1-based) of the lines paid in [from, before)."""
    found = await session.scalar(
        select(InvoiceLine.payment_delay_seconds)
        .where(*_paid_between(paid_from, paid_before))
        .order_by(InvoiceLine.payment_delay_seconds)
        .offset(rank - 1)
        .limit(1)
    )
    return None if found is None else int(found)


def _paid_between(paid_from: datetime, paid_before: datetime) -> tuple[ColumnElement[bool], ...]:
    return (
        InvoiceLine.paid_at >= paid_from,
        InvoiceLine.paid_at < paid_before,
        InvoiceLine.payment_delay_seconds.is_not(None),
    )
