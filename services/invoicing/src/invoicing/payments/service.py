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
from invoicing.payments.schemas import PaymentRunView
from invoicing.payments.views import run_view
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
) -> PaymentRunView:
    """I-05: pay every accepted, unpaid line; resume a crashed run rather than start anew."""
    run_id = await start_run(database, clock=clock)
    return await pay_run(database, run_id, clock=clock, checkpoint=checkpoint)


async def start_run(
    database: Database, *, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> str:
    """The id of the unfinished run (crashed, or still paying elsewhere), or of a new one."""
    async with database.transaction() as session:
        run = await repository.unfinished_run(session)
        if run is None:
            started_at = clock()
            run = PaymentRun(
                run_id=str(uuid.uuid4()),
                started_at=started_at,
                progressed_at=started_at,
                status=PaymentRunStatus.RUNNING,
                providers_to_pay=0,
                providers_paid=0,
                paid_invoices=0,
                amount=ZERO,
            )
            session.add(run)
        else:
            log.info("invoicing.payment_run.resumed", run_id=run.run_id)
        return run.run_id


async def pay_run(
    database: Database,
    run_id: str,
    *,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    checkpoint: Checkpoint = _no_checkpoint,
) -> PaymentRunView:
    """Pay the run's providers one transaction each, then mark it finished."""
    async with database.transaction() as session:
        providers = await _plan(session, run_id, clock())
    for count, provider in enumerate(providers, start=1):
        async with database.transaction() as session:
            delays = await _pay_provider(session, run_id, provider, clock())
            await checkpoint("claimed", count)
        observe_payment_delays(delays)
        await checkpoint("committed", count)
    async with database.transaction() as session:
        return await _finish(session, run_id, clock())


async def pay_run_in_background(database: Database, run_id: str) -> None:
    """`pay_run` after the answer was sent: a failure is logged, and the run stays `running`
    until the next run (scheduled, or started again) resumes it."""
    try:
        await pay_run(database, run_id)
    except Exception:
        log.exception("invoicing.payment_run.interrupted", run_id=run_id)


async def _plan(session: AsyncSession, run_id: str, now: datetime) -> list[str]:
    """The providers this run has still to pay; its progress counted again from its payments
    (a run resumed after a crash, or joined by a second start, carries on from the ledger)."""
    run = await repository.run(session, run_id, lock=True)
    assert run is not None
    if run.status != PaymentRunStatus.RUNNING:
        return []
    made = await repository.run_payments(session, run_id)
    paid = {payment.provider for payment in made}
    providers = [p for p in await repository.providers_to_pay(session) if p not in paid]
    run.providers_paid = len(made)
    run.providers_to_pay = len(made) + len(providers)
    run.progressed_at = now
    run.paid_invoices = await repository.invoices_paid_in_run(session, run_id)
    run.amount = sum((payment.amount for payment in made), ZERO)
    return providers


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
        await _count_provider(session, run_id, now, paid_by_another_run=True)
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
    await _count_provider(session, run_id, now, invoices=len(paid), amount=lines_amount - recovered)
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


async def _count_provider(
    session: AsyncSession,
    run_id: str,
    now: datetime,
    *,
    invoices: int = 0,
    amount: Decimal = ZERO,
    paid_by_another_run: bool = False,
) -> None:
    """The run's progress, in the provider's own transaction: it moves only if that commits."""
    run = await repository.run(session, run_id, lock=True)
    assert run is not None
    if paid_by_another_run:
        run.providers_to_pay = max(run.providers_to_pay - 1, run.providers_paid)
        return
    run.providers_paid += 1
    run.paid_invoices += invoices
    run.amount += amount
    run.progressed_at = now


async def _finish(session: AsyncSession, run_id: str, now: datetime) -> PaymentRunView:
    run = await repository.run(session, run_id, lock=True)
    assert run is not None
    made = await repository.run_payments(session, run_id)
    run.providers_paid = len(made)
    run.paid_invoices = await repository.invoices_paid_in_run(session, run_id)
    run.amount = sum((payment.amount for payment in made), ZERO)
    if run.status == PaymentRunStatus.RUNNING:
        run.status, run.finished_at, run.progressed_at = PaymentRunStatus.FINISHED, now, now
        run.providers_to_pay = run.providers_paid  # the rest were paid by a concurrent run
    log.info(
        "invoicing.payment_run.finished",
        run_id=run_id,
        providers_paid=run.providers_paid,
        paid_invoices=run.paid_invoices,
        amount=str(run.amount),
    )
    await session.flush()
    return await run_view(session, run)


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
