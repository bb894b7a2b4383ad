"""Payment runs: every accepted, unpaid line is paid exactly once, one payment per provider.

Each provider is paid in its own transaction that claims its lines (payment reference set on
each), records the payment and queues `InvoicePaid` per invoice, all or nothing. A run killed
halfway has paid some providers completely and the others not at all; the next run resumes the
unfinished one (same run id) and pays the rest. A line once claimed is never claimed again.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from decimal import Decimal

import structlog
from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.invoices import repository as invoices
from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.rules import amount_owed_i05
from invoicing.invoices.statuses import InvoiceStatus, LineStatus, PaymentRunStatus
from invoicing.payments import repository
from invoicing.payments.models import InvoicePayment, PaymentRun, ProviderPayment
from mediprima_contracts.components import PaidLine
from mediprima_contracts.events.invoices import InvoicePaid
from mediprima_contracts.values import Money
from servicekit.db import Database
from servicekit.messaging.outbox import emit

SOURCE = "invoicing"
ZERO = Decimal("0.00")
log = structlog.get_logger()

Checkpoint = Callable[[str, int], Awaitable[None]]
"""Called with a stage (`claimed`: lines claimed, not committed; `committed`) and how many
providers this attempt has reached; tests use it to kill the process at a chosen point."""


async def _no_checkpoint(_stage: str, _count: int) -> None:
    return None


class ProviderPaymentView(BaseModel):
    payment_reference: str = Field(description="Reference of the transfer to the provider.")
    provider: str = Field(description="RIZIV number of the provider paid.")
    amount: Money = Field(description="State and OCMW shares of the lines paid.")
    paid_at: datetime = Field(description="When it was paid.")


class PaymentRunResult(BaseModel):
    run_id: str = Field(description="Id of this run (a resumed run keeps its id).")
    paid_invoices: int = Field(description="Invoices paid in this run.")
    amount: Money = Field(description="Total paid to providers in this run.")
    payments: list[ProviderPaymentView] = Field(description="One payment per provider.")


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
            await _pay_provider(session, run_id, provider, clock())
            await checkpoint("claimed", count)
        await checkpoint("committed", count)
    async with database.transaction() as session:
        return await _finish(session, run_id, clock())


async def _pay_provider(session: AsyncSession, run_id: str, provider: str, now: datetime) -> None:
    if await repository.paid_in_run(session, run_id, provider):
        return  # lines accepted since this run paid the provider wait for the next run
    claimed = await repository.claim_invoices_of(session, provider)
    unpaid = {
        invoice.invoice_id: [line for line in invoice.lines if _unpaid(line)] for invoice in claimed
    }
    if not any(unpaid.values()):
        return  # a concurrent run paid them first
    reference = f"PAY-{now:%Y%m%d}-{uuid.uuid4().hex[:12].upper()}"
    total = ZERO
    for invoice in claimed:
        lines = unpaid[invoice.invoice_id]
        if not lines:
            continue
        amount = owed_for(lines)
        for line in lines:
            line.payment_reference = reference
        session.add(
            InvoicePayment(
                payment_reference=reference,
                invoice_id=invoice.invoice_id,
                amount=amount,
                paid_at=now,
            )
        )
        invoices.record_status(session, invoice, InvoiceStatus.PAID, now)
        await _publish_paid(session, invoice, lines, reference, amount, now)
        total += amount
    session.add(
        ProviderPayment(
            payment_reference=reference, run_id=run_id, provider=provider, amount=total, paid_at=now
        )
    )
    await session.flush()
    log.info(
        "invoicing.payment.made",
        run_id=run_id,
        provider=provider,
        reference=reference,
        amount=str(total),
    )


async def _finish(session: AsyncSession, run_id: str, now: datetime) -> PaymentRunResult:
    run = await session.get(PaymentRun, run_id, with_for_update=True)
    assert run is not None
    made = await repository.run_payments(session, run_id)
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
        payments=[
            ProviderPaymentView(
                payment_reference=payment.payment_reference,
                provider=payment.provider,
                amount=payment.amount,
                paid_at=payment.paid_at,
            )
            for payment in made
        ],
    )


def owed_for(lines: list[InvoiceLine]) -> Money:
    """I-05: what the provider is owed for these lines (their state and OCMW shares)."""
    return Money(
        amount_owed_i05((_share(line.state_share), _share(line.ocmw_share)) for line in lines)
    )


def _unpaid(line: InvoiceLine) -> bool:
    return line.status == LineStatus.ACCEPTED and line.payment_reference is None


def _share(amount: Decimal | None) -> Decimal:
    return amount if amount is not None else ZERO


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
            person_id=invoice.person_id,
            paid_at=at,
            amount=amount,
            lines=[paid_line(line) for line in lines],
        ),
        subject=invoice.invoice_id,
        source=SOURCE,
        occurred_at=at,
    )


def paid_line(line: InvoiceLine) -> PaidLine:
    """The line as paid (and as credited: a credit takes back exactly what was paid)."""
    return PaidLine(
        line_number=line.line_number,
        date_of_care=line.date_of_care,
        code=line.code,
        state_share=_share(line.state_share),
        ocmw_share=_share(line.ocmw_share),
        patient_share=_share(line.patient_share),
        decision_number=line.decision_number,
        version=line.version,
        ocmw=line.ocmw,
        urgent_medical_aid=line.urgent_medical_aid,
        certificate_number=line.certificate_number,
    )
