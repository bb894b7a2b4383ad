from collections.abc import Sequence

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.statuses import LineStatus, PaymentRunStatus
from invoicing.payments.models import InvoicePayment, PaymentRun, ProviderPayment

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
