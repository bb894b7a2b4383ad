"""Credits: the payer takes back accepted lines, before or after payment (I-03).

Nothing is rewritten: the lines keep their verdict, shares and payment reference, and are marked
credited; `InvoiceLinesCredited` tells settlement to book the correction in the month it happens.
A credited line is never paid (before payment) and frees its care for a corrected invoice (I-02).
A credit of paid lines is owed back by the provider: a recovery offset from its next payments
(I-05, `payments.recoveries`).
"""

from __future__ import annotations

import uuid
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.invoices import repository as invoices
from invoicing.invoices.models import InvoiceCredit
from invoicing.invoices.rules import check_creditable_lines_i03
from invoicing.invoices.schemas import CreditCreated, CreditInput, CreditReason
from invoicing.invoices.statuses import LineStatus
from invoicing.payments.lines import owed_for, paid_line
from invoicing.payments.recoveries import open_recovery
from mediprima_contracts.components import Finding
from mediprima_contracts.events.invoices import InvoiceLinesCredited
from servicekit import tenancy
from servicekit.errors import NotFound, Unprocessable
from servicekit.messaging.outbox import emit

SOURCE = "invoicing"
log = structlog.get_logger()


async def credit_lines(
    session: AsyncSession, *, invoice_id: str, request: CreditInput, now: datetime
) -> CreditCreated:
    # Operators only (the router): they credit any provider's invoice.
    invoice = await invoices.get_with_lines(session, invoice_id, tenancy.SERVICE, for_update=True)
    if invoice is None:
        raise NotFound.for_rule("I-01", "invoice.not_found", f"Invoice {invoice_id} not found")
    by_number = {line.line_number: line for line in invoice.lines}
    problems = check_creditable_lines_i03(
        request.line_numbers, {number: line.status for number, line in by_number.items()}
    )
    if problems:
        raise Unprocessable(f"{len(problems)} line(s) cannot be credited", problems)
    lines = [by_number[number] for number in sorted(request.line_numbers)]
    payments = {line.payment_reference for line in lines}
    if len(payments) > 1:
        raise Unprocessable.for_rule(
            "I-03",
            "credit.several_payments",
            "Credit the lines of one payment at a time",
            field="line_numbers",
        )
    payment_reference = payments.pop()
    reason = (
        request.reason
        if isinstance(request.reason, CreditReason)
        else CreditReason(message=request.reason)
    )
    finding = Finding(rule="I-03", code=reason.code, message=reason.message)
    reference = f"CR-{now:%Y%m%d}-{uuid.uuid4().hex[:12].upper()}"
    amount = owed_for(lines)
    credited = [paid_line(line) for line in lines]  # the shares as accepted, before marking
    for line in lines:
        line.status = LineStatus.CREDITED
        line.credit_reference = reference
    session.add(
        InvoiceCredit(
            credit_reference=reference,
            invoice_id=invoice.invoice_id,
            credited_at=now,
            payment_reference=payment_reference,
            line_numbers=[line.line_number for line in lines],
            reason=finding.model_dump(),
            amount=amount,
        )
    )
    if payment_reference is not None:
        open_recovery(
            session,
            credit_reference=reference,
            provider=invoice.provider,
            invoice_id=invoice.invoice_id,
            payment_reference=payment_reference,
            amount=amount,
            now=now,
        )
    await emit(
        session,
        InvoiceLinesCredited(
            credit_reference=reference,
            invoice_id=invoice.invoice_id,
            provider=invoice.provider,
            ssin=invoice.ssin,
            person_id=invoice.person_id,
            credited_at=now,
            payment_reference=payment_reference,
            reason=finding,
            lines=credited,
        ),
        subject=invoice.invoice_id,
        source=SOURCE,
        occurred_at=now,
    )
    log.info(
        "invoicing.lines.credited",
        invoice_id=invoice.invoice_id,
        reference=reference,
        paid=payment_reference is not None,
    )
    return CreditCreated(
        credit_reference=reference,
        invoice_id=invoice.invoice_id,
        line_numbers=[line.line_number for line in lines],
        amount=amount,
        payment_reference=payment_reference,
        recovery_amount=amount if payment_reference is not None else None,
    )
