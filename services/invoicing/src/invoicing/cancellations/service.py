"""Cancellations: a provider withdraws its own lines before they are paid, by request or by a
correcting invoice. `InvoiceLinesCancelled` goes to the outbox in the same transaction (tariffing
releases the OCMW's monthly cap on it); a cancelled line is no accepted care (I-02), never paid.
"""

from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.cancellations.models import InvoiceCancellation
from invoicing.cancellations.rules import (
    LineState,
    check_cancellable_lines,
    status_after_cancellation,
)
from invoicing.cancellations.schemas import CancellationInput, CancellationView
from invoicing.db import as_utc
from invoicing.invoices import repository as invoices
from invoicing.invoices.models import Invoice
from invoicing.invoices.schemas import CreditReason
from invoicing.invoices.statuses import InvoiceStatus, LineStatus
from mediprima_contracts.events.invoices import InvoiceLinesCancelled
from servicekit.auth import Principal
from servicekit.errors import Conflict, NotFound, ProblemItem, Unprocessable
from servicekit.messaging.outbox import emit
from servicekit.tenancy import Tenant
from servicekit.unique_rows import insert_unless_present

SOURCE = "invoicing"
log = structlog.get_logger()


async def cancel_lines(
    session: AsyncSession,
    *,
    invoice_id: str,
    request: CancellationInput,
    idempotency_key: str,
    caller: Principal,
    now: datetime,
) -> CancellationView:
    """Cancel the caller's lines (all when none are named); the same key and body get the same
    answer, another body under the key a 409."""
    request_hash = hashlib.sha256(f"{invoice_id}:{request.model_dump_json()}".encode()).hexdigest()

    async def earlier() -> InvoiceCancellation | None:
        return await _by_key(session, caller.subject, idempotency_key)

    first = await earlier()
    if first is not None:
        return _same_request_or_conflict(first, request_hash)
    invoice = await invoices.get_with_lines(session, invoice_id, Tenant.of(caller), for_update=True)
    if invoice is None:
        raise NotFound.for_rule("I-01", "invoice.not_found", f"Invoice {invoice_id} not found")
    twin = await earlier()  # a twin with this key may have committed while we waited for the lock
    if twin is not None:
        return _same_request_or_conflict(twin, request_hash)
    check = check_cancellable_lines(
        request.line_numbers,
        {
            line.line_number: LineState(LineStatus(line.status), line.payment_reference is not None)
            for line in invoice.lines
        },
    )
    if check.unprocessable:
        raise Unprocessable(f"{len(check.unprocessable)} invalid line(s)", check.unprocessable)
    if check.conflicts:
        raise Conflict(f"{len(check.conflicts)} line(s) cannot be cancelled", check.conflicts)
    reason = _finding(request.reason)
    cancellation = _new(invoice, check.lines, reason, idempotency_key, request_hash, None, now)
    first = await insert_unless_present(session, cancellation, earlier)
    if first is not None:
        return _same_request_or_conflict(first, request_hash)
    await apply(session, invoice, cancellation, now)
    return view(cancellation)


async def replace_by_correction(
    session: AsyncSession, *, original: Invoice, correction_id: str, now: datetime
) -> None:
    """A correcting invoice replaces the original's unpaid lines: they are cancelled now, in
    the transaction that receives the correction."""
    numbers = replaceable_lines(original)
    reason = ProblemItem(
        rule="I-01",
        code="invoice.corrected",
        message=f"Replaced by the correcting invoice {correction_id}",
    )
    key = f"correction/{correction_id}"
    digest = hashlib.sha256(key.encode()).hexdigest()
    cancellation = _new(original, numbers, reason, key, digest, correction_id, now)
    session.add(cancellation)
    await apply(session, original, cancellation, now)


def replaceable_lines(invoice: Invoice) -> list[int]:
    """Lines a correction may replace: neither paid, credited nor cancelled already."""
    return [
        line.line_number
        for line in invoice.lines
        if line.payment_reference is None
        and line.status not in (LineStatus.CANCELLED, LineStatus.CREDITED)
    ]


async def apply(
    session: AsyncSession, invoice: Invoice, cancellation: InvoiceCancellation, now: datetime
) -> None:
    numbers = set(cancellation.line_numbers)
    for line in invoice.lines:
        if line.line_number in numbers:
            line.status = LineStatus.CANCELLED
    status = status_after_cancellation(
        InvoiceStatus(invoice.status), [LineStatus(line.status) for line in invoice.lines]
    )
    if status != invoice.status:
        invoices.record_status(session, invoice, status, now)
    cancellation.invoice_status = status
    await emit(
        session,
        InvoiceLinesCancelled(
            invoice_id=invoice.invoice_id,
            provider=invoice.provider,
            ssin=invoice.ssin,
            person_id=invoice.person_id,
            cancelled_at=now,
            line_numbers=sorted(numbers),
            replaced_by=cancellation.replaced_by,
        ),
        subject=invoice.invoice_id,
        source=SOURCE,
        occurred_at=now,
    )
    log.info(
        "invoicing.lines.cancelled",
        invoice_id=invoice.invoice_id,
        lines=len(numbers),
        replaced_by=cancellation.replaced_by,
    )


def view(cancellation: InvoiceCancellation) -> CancellationView:
    return CancellationView(
        cancellation_id=cancellation.cancellation_id,
        invoice_id=cancellation.invoice_id,
        line_numbers=cancellation.line_numbers,
        cancelled_at=as_utc(cancellation.cancelled_at),
        reason=ProblemItem(**cancellation.reason),
        replaced_by=cancellation.replaced_by,
        status=InvoiceStatus(cancellation.invoice_status),
    )


def _new(
    invoice: Invoice,
    numbers: list[int],
    reason: ProblemItem,
    key: str,
    request_hash: str,
    replaced_by: str | None,
    now: datetime,
) -> InvoiceCancellation:
    return InvoiceCancellation(
        cancellation_id=str(uuid.uuid4()),
        invoice_id=invoice.invoice_id,
        provider=invoice.provider,
        idempotency_key=key,
        request_hash=request_hash,
        cancelled_at=now,
        line_numbers=numbers,
        reason=reason.model_dump(),
        replaced_by=replaced_by,
        invoice_status=invoice.status,
    )


async def _by_key(session: AsyncSession, provider: str, key: str) -> InvoiceCancellation | None:
    return await session.scalar(
        select(InvoiceCancellation).where(
            InvoiceCancellation.provider == provider, InvoiceCancellation.idempotency_key == key
        )
    )


def _same_request_or_conflict(earlier: InvoiceCancellation, request_hash: str) -> CancellationView:
    if earlier.request_hash != request_hash:
        raise Conflict.for_rule(
            "I-01",
            "idempotency_key.reused",
            "This Idempotency-Key was used for a different cancellation",
            field="Idempotency-Key",
        )
    return view(earlier)


def _finding(reason: CreditReason | str) -> ProblemItem:
    given = (
        reason
        if isinstance(reason, CreditReason)
        else CreditReason(code="invoice.lines_cancelled", message=reason)
    )
    return ProblemItem(rule="I-01", code=given.code, message=given.message)
