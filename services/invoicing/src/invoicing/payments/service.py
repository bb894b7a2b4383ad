"""Payment runs: every accepted, unpaid line is paid exactly once, one payment per provider.

Each provider is paid in its own transaction that claims its lines (payment reference set on
each), offsets what the provider owes back for credited paid lines (I-05), records the payment
and queues `InvoicePaid` per invoice, all or nothing. A run killed halfway has paid some
providers completely and the others not at all; the next run resumes the unfinished one (same
run id) and pays the rest. A line once claimed is never claimed again, and a recovery is offset
in the same transaction as the payment that takes it back, so never twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.db import as_utc
from invoicing.invoices import repository as invoices
from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.statuses import InvoiceStatus, PaymentRunStatus
from invoicing.payments import recoveries, repository
from invoicing.payments.lines import owed_for, paid_line, unpaid
from invoicing.payments.metrics import observe_payment_delays
from invoicing.payments.models import PaymentRun, ProviderPayment
from invoicing.payments.rules import payment_delay_seconds_i05
from invoicing.payments.schemas import PaymentRunResult, ProviderPaymentView
from mediprima_contracts.events.invoices import InvoicePaid
from servicekit.db import Database
from servicekit.messaging.outbox import defer_writes, emit, write_deferred

SOURCE = "invoicing"
ZERO = Decimal("0.00")
log = structlog.get_logger()

Checkpoint = Callable[[str, int], Awaitable[None]]
"""Called with a stage (`claimed`: lines claimed, not committed; `committed`) and how many
providers this attempt has reached; tests use it to kill the process at a chosen point."""


async def _no_checkpoint(_stage: str, _count: int) -> None:
    return None


async def run_payments(
    database: Database,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    checkpoint: Checkpoint = _no_checkpoint,
) -> PaymentRunResult:
    """I-05: pay every accepted, unpaid line; resume a crashed run rather than start anew."""
    async with database.transaction() as session:
        run = await repository.unfinished_run(session)
        if run is None:
            run = PaymentRun(
                run_id=str(uuid.uuid4()),
                started_at=clock(),
                status=PaymentRunStatus.RUNNING,
                paid_invoices=0,
                amount=ZERO,
            )
            session.add(run)
        else:
            log.info("invoicing.payment_run.resumed", run_id=run.run_id)
        run_id = run.run_id
    async with database.reading() as session:
        providers = await repository.providers_to_pay(session)
    for count, provider in enumerate(providers, start=1):
        async with database.transaction() as session:
            delays = await _pay_provider(session, run_id, provider, clock())
            await checkpoint("claimed", count)
        observe_payment_delays(delays)
        await checkpoint("committed", count)
    async with database.transaction() as session:
        return await _finish(session, run_id, clock())


async def _pay_provider(
    session: AsyncSession, run_id: str, provider: str, now: datetime
) -> list[int]:
    """Pay the provider's unpaid lines; the delay of each line paid (seconds)."""
    if await repository.paid_in_run(session, run_id, provider):
        return []  # lines accepted since this run paid the provider wait for the next run
    claimed = await repository.claim_invoices_of(session, provider)
    to_pay = {
        invoice.invoice_id: [line for line in invoice.lines if unpaid(line)] for invoice in claimed
    }
    if not any(to_pay.values()):
        return []  # a concurrent run paid them first
    reference = f"PAY-{now:%Y%m%d}-{uuid.uuid4().hex[:12].upper()}"
    defer_writes(session)  # the InvoicePaid events go to the outbox in one executemany
    lines_amount, claims, payments, paid = ZERO, [], [], []
    for invoice in claimed:
        lines = to_pay[invoice.invoice_id]
        if not lines:
            continue
        amount = owed_for(lines)
        delay = payment_delay_seconds_i05(submitted_at=as_utc(invoice.submitted_at), paid_at=now)
        claims += [
            repository.LineClaim(invoice.invoice_id, line.line_number, delay) for line in lines
        ]
        payments.append(
            {
                "payment_reference": reference,
                "invoice_id": invoice.invoice_id,
                "amount": amount,
                "paid_at": now,
            }
        )
        paid.append(invoice.invoice_id)
        await _publish_paid(session, invoice, lines, reference, amount, now)
        lines_amount += amount
    # A statement per table for all the provider's invoices; the entities loaded above are
    # only read from here on.
    await repository.claim_lines(session, claims, reference=reference, paid_at=now)
    await repository.add_invoice_payments(session, payments)
    await invoices.record_statuses(session, paid, InvoiceStatus.PAID, now)
    await write_deferred(session)
    recovered, balance = await recoveries.offset_from_payment(
        session, provider=provider, payment_reference=reference, owed=lines_amount
    )
    session.add(
        ProviderPayment(
            payment_reference=reference,
            run_id=run_id,
            provider=provider,
            lines_amount=lines_amount,
            recovered=recovered,
            amount=lines_amount - recovered,
            balance_owed=balance,
            paid_at=now,
        )
    )
    await session.flush()
    log.info(
        "invoicing.payment.made",
        run_id=run_id,
        provider=provider,
        reference=reference,
        amount=str(lines_amount - recovered),
        recovered=str(recovered),
        balance_owed=str(balance),
    )
    return [claim.payment_delay_seconds for claim in claims]


async def _finish(session: AsyncSession, run_id: str, now: datetime) -> PaymentRunResult:
    run = await session.get(PaymentRun, run_id, with_for_update=True)
    assert run is not None
    made = await repository.run_payments(session, run_id)
    offsets = await recoveries.offsets_of(session, [payment.payment_reference for payment in made])
    run.paid_invoices = await repository.invoices_paid_in_run(session, run_id)
    run.amount = sum((payment.amount for payment in made), ZERO)
    if run.status == PaymentRunStatus.RUNNING:
        run.status, run.finished_at = PaymentRunStatus.FINISHED, now
    log.info(
        "invoicing.payment_run.finished",
        run_id=run_id,
        paid_invoices=run.paid_invoices,
        amount=str(run.amount),
    )
    return PaymentRunResult(
        run_id=run_id,
        paid_invoices=run.paid_invoices,
        amount=run.amount,
        payments=[payment_view(payment, offsets) for payment in made],
    )


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


async def _publish_paid(
    session: AsyncSession,
    invoice: Invoice,
    lines: list[InvoiceLine],
    reference: str,
    amount: Decimal,
    at: datetime,
) -> None:
    """`InvoicePaid` describes the lines paid; a recovery offset from the transfer is between
    payer and provider (settlement booked the credit from `InvoiceLinesCredited`)."""
    await emit(
        session,
        InvoicePaid(
            invoice_id=invoice.invoice_id,
            payment_reference=reference,
            provider=invoice.provider,
            ssin=invoice.ssin,
            person_id=invoice.person_id,
            paid_at=at,
            amount=amount,
            lines=[paid_line(line) for line in lines],
        ),
        subject=invoice.invoice_id,
        source=SOURCE,
        occurred_at=at,
    )
