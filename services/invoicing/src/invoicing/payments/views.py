"""A payment run and its provider payments as the API shows them."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.db import as_utc
from invoicing.invoices.statuses import PaymentRunStatus
from invoicing.payments import recoveries, repository
from invoicing.payments.models import PaymentRun, ProviderPayment
from invoicing.payments.schemas import PaymentRunSummary, PaymentRunView, ProviderPaymentView


def payment_view(
    payment: ProviderPayment, offsets: dict[str, list[recoveries.OffsetRow]]
) -> ProviderPaymentView:
    return ProviderPaymentView(
        payment_reference=payment.payment_reference,
        provider=payment.provider,
        lines_amount=payment.lines_amount,
        recovered=payment.recovered,
        amount=payment.amount,
        balance_owed=payment.balance_owed,
        recoveries=recoveries.offset_views(offsets.get(payment.payment_reference, [])),
        paid_at=as_utc(payment.paid_at),
    )


def run_summary(run: PaymentRun) -> PaymentRunSummary:
    return PaymentRunSummary(
        run_id=run.run_id,
        status=PaymentRunStatus(run.status),
        started_at=as_utc(run.started_at),
        finished_at=None if run.finished_at is None else as_utc(run.finished_at),
        last_progress_at=as_utc(run.progressed_at or run.started_at),
        providers_to_pay=run.providers_to_pay,
        providers_paid=run.providers_paid,
        paid_invoices=run.paid_invoices,
        amount=run.amount,
    )


async def run_view(session: AsyncSession, run: PaymentRun) -> PaymentRunView:
    """The run with each provider payment it made, in three queries whatever their count."""
    made = await repository.run_payments(session, run.run_id)
    offsets = await recoveries.offsets_of(session, [payment.payment_reference for payment in made])
    return PaymentRunView(
        **run_summary(run).model_dump(),
        payments=[payment_view(payment, offsets) for payment in made],
    )
