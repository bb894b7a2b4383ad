"""Invoice intake and reading. The caller's transaction commits; nothing here does."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.invoices import repository
from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.schemas import (
    InvoiceInput,
    InvoiceReceived,
    InvoiceView,
    LineView,
    PaymentView,
    Totals,
)
from invoicing.payments import repository as payments
from mediprima_contracts.components import InvoiceLine as SubmittedLine
from mediprima_contracts.events.invoices import InvoiceSubmitted
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound, ProblemItem
from servicekit.messaging.outbox import emit

SOURCE = "invoicing"
ZERO = Decimal("0.00")


async def submit_invoice(
    session: AsyncSession, *, request: InvoiceInput, idempotency_key: str, caller: Principal
) -> InvoiceReceived:
    """Store the invoice as received and queue it for pricing; a retry gets the same answer."""
    request_hash = hashlib.sha256(request.model_dump_json().encode()).hexdigest()
    earlier = await repository.by_idempotency_key(
        session, provider=caller.subject, key=idempotency_key
    )
    if earlier is not None:
        return _same_request_or_conflict(earlier, request_hash)
    now = datetime.now(UTC)
    invoice = Invoice(
        invoice_id=str(uuid.uuid4()),
        provider=caller.subject,
        ssin=request.ssin,
        agreement_number=request.agreement_number,
        status="received",
        submitted_at=now,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
    )
    try:
        async with session.begin_nested():
            session.add(invoice)
            await session.flush()
    except IntegrityError:
        # A concurrent twin with the same key committed first: answer as it was answered.
        twin = await repository.by_idempotency_key(
            session, provider=caller.subject, key=idempotency_key
        )
        assert twin is not None
        return _same_request_or_conflict(twin, request_hash)
    session.add_all(
        InvoiceLine(
            invoice_id=invoice.invoice_id,
            line_number=line.line_number,
            date_of_care=line.date_of_care,
            code=line.code,
            amount=line.amount,
            status="pending",
            reasons=[],
        )
        for line in request.lines
    )
    await repository.record_status(session, invoice, "received", now)
    await emit(
        session,
        InvoiceSubmitted(
            invoice_id=invoice.invoice_id,
            provider=caller.subject,
            ssin=request.ssin,
            agreement_number=request.agreement_number,
            submitted_at=now,
            lines=[
                SubmittedLine(
                    line_number=line.line_number,
                    date_of_care=line.date_of_care,
                    code=line.code,
                    amount=line.amount,
                )
                for line in request.lines
            ],
        ),
        subject=invoice.invoice_id,
        source=SOURCE,
        occurred_at=now,
    )
    return InvoiceReceived(invoice_id=invoice.invoice_id, status="received")


def _same_request_or_conflict(earlier: Invoice, request_hash: str) -> InvoiceReceived:
    if earlier.request_hash != request_hash:
        raise Conflict.for_rule(
            "I-01",
            "idempotency_key.reused",
            "This Idempotency-Key was used for a different invoice",
            field="Idempotency-Key",
        )
    return InvoiceReceived(invoice_id=earlier.invoice_id, status="received")


async def get_invoice(session: AsyncSession, *, invoice_id: str, caller: Principal) -> InvoiceView:
    invoice = await repository.get_with_lines(session, invoice_id)
    if invoice is None or not (caller.is_operator or invoice.provider == caller.subject):
        raise NotFound.for_rule("I-01", "invoice.not_found", f"Invoice {invoice_id} not found")
    return await invoice_view(session, invoice)


async def invoice_view(session: AsyncSession, invoice: Invoice) -> InvoiceView:
    accepted = [line for line in invoice.lines if line.status == "accepted"]
    payment = await payments.latest_for_invoice(session, invoice.invoice_id)
    return InvoiceView(
        invoice_id=invoice.invoice_id,
        status=invoice.status,
        ssin=invoice.ssin,
        submitted_at=invoice.submitted_at,
        lines=[
            LineView(
                line_number=line.line_number,
                date_of_care=line.date_of_care,
                code=line.code,
                amount=line.amount,
                status=line.status,
                reasons=[ProblemItem(**reason) for reason in line.reasons],
                state_share=line.state_share,
                ocmw_share=line.ocmw_share,
                patient_share=line.patient_share,
            )
            for line in invoice.lines
        ],
        totals=Totals(
            amount=sum((line.amount for line in invoice.lines), ZERO),
            state_share=sum((line.state_share or ZERO for line in accepted), ZERO),
            ocmw_share=sum((line.ocmw_share or ZERO for line in accepted), ZERO),
            patient_share=sum((line.patient_share or ZERO for line in accepted), ZERO),
        ),
        payment=(
            PaymentView(
                payment_reference=payment.payment_reference,
                paid_at=payment.paid_at,
                amount=payment.amount,
            )
            if payment
            else None
        ),
    )
