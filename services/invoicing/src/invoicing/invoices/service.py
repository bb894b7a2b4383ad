"""Invoice intake, one by one or in batches. The caller's transaction commits; nothing here does."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.cancellations.service import replace_by_correction
from invoicing.invoices import corrections, repository
from invoicing.invoices.models import Invoice, InvoiceBatch
from invoicing.invoices.schemas import (
    BatchItemResult,
    BatchReceived,
    InvoiceInput,
    InvoiceReceived,
)
from invoicing.invoices.statuses import InvoiceStatus, LineStatus
from invoicing.invoices.validation import validate_invoice
from mediprima_contracts.components import InvoiceLine as SubmittedLine
from mediprima_contracts.events.invoices import InvoiceSubmitted
from mediprima_domain.identity import person_key
from servicekit.auth import Principal
from servicekit.errors import Conflict, ServiceError, Unprocessable
from servicekit.messaging.outbox import defer_writes, emit, write_deferred
from servicekit.unique_rows import insert_unless_present

SOURCE = "invoicing"
log = structlog.get_logger()


def _key_reused(kind: str) -> ServiceError:
    return Conflict.for_rule(
        "I-01",
        "idempotency_key.reused",
        f"This Idempotency-Key was used for a different {kind}",
        field="Idempotency-Key",
    )


async def submit_invoice(
    session: AsyncSession, *, raw: object, idempotency_key: str, caller: Principal, now: datetime
) -> InvoiceReceived:
    """Check the invoice (every bad field at once), store it as received and queue it for
    pricing; the same key and body always get the same answer, another body a 409."""
    request, problems = validate_invoice(raw, today=now.date())
    if request is None:
        raise Unprocessable(f"{len(problems)} invalid field(s)", problems)
    request_hash = _invoice_hash(request)

    async def earlier() -> repository.KeyedInvoice | None:
        return await repository.keyed_invoice(session, provider=caller.subject, key=idempotency_key)

    found = await earlier()
    if found is not None:
        return _same_request_or_conflict(found, request_hash)
    try:
        original = await corrections.original_to_correct(
            session, request=request, provider=caller.subject
        )
    except ServiceError:
        # A twin with this key may have corrected the original while we waited for its lock.
        twin = await earlier()
        if twin is None:
            raise
        return _same_request_or_conflict(twin, request_hash)
    rows = _Rows()
    invoice = _new_invoice(request, caller.subject, idempotency_key, request_hash, now)
    if not await repository.add_unless_key_taken(session, invoice):
        # A twin with this key committed while the insert waited for it.
        twin = await earlier()
        if twin is None:
            raise LookupError(f"invoice key {idempotency_key!r} is taken, yet no invoice holds it")
        return _same_request_or_conflict(twin, request_hash)
    await _receive(session, rows, invoice, request, now, original=original)
    await rows.write(session)
    return InvoiceReceived(invoice_id=invoice["invoice_id"], status=InvoiceStatus.RECEIVED)


async def submit_batch(
    session: AsyncSession,
    *,
    raw_invoices: list[Any],
    idempotency_key: str,
    caller: Principal,
    now: datetime,
) -> BatchReceived:
    """Each invoice of the batch is checked and answered on its own; the batch key makes the
    whole upload retry-safe (same key and body: the first answer; another body: 409)."""
    request_hash = _hash(raw_invoices)

    async def earlier() -> InvoiceBatch | None:
        return await repository.batch_by_idempotency_key(
            session, provider=caller.subject, key=idempotency_key
        )

    batch = InvoiceBatch(
        batch_id=str(uuid.uuid4()),
        provider=caller.subject,
        idempotency_key=idempotency_key,
        request_hash=request_hash,
        received_at=now,
    )
    first = await insert_unless_present(session, batch, earlier)
    if first is not None:
        return _same_batch_or_conflict(first, request_hash)
    rows = _Rows()
    # Invoices, lines, history and events go in a statement per table when the batch ends; no
    # flush in between, which would write what a correction changed one row at a time.
    defer_writes(session)
    with session.no_autoflush:
        results = [
            await _receive_one_of_batch(session, rows, batch, index, raw, caller.subject, now)
            for index, raw in enumerate(raw_invoices)
        ]
    await rows.write(session)
    await write_deferred(session)
    received = sum(1 for result in results if result.status == "received")
    answer = BatchReceived(
        batch_id=batch.batch_id,
        received=received,
        refused=len(results) - received,
        results=results,
    )
    batch.answer = answer.model_dump(mode="json")
    log.info("invoicing.batch.received", received=received, refused=len(results) - received)
    return answer


async def _receive_one_of_batch(
    session: AsyncSession,
    rows: _Rows,
    batch: InvoiceBatch,
    index: int,
    raw: object,
    provider: str,
    now: datetime,
) -> BatchItemResult:
    request, problems = validate_invoice(raw, today=now.date())
    if request is None:
        problem = Unprocessable(f"{len(problems)} invalid field(s)", problems).to_problem()
        return BatchItemResult(index=index, status="refused", problem=problem)
    try:
        original = await corrections.original_to_correct(
            session, request=request, provider=provider
        )
    except ServiceError as refusal:
        return BatchItemResult(index=index, status="refused", problem=refusal.to_problem())
    # The batch key guards the whole upload; each invoice gets a key no client can send.
    key = f"batch/{batch.batch_id}/{index}"
    invoice = _new_invoice(request, provider, key, _invoice_hash(request), now)
    rows.invoices.append(invoice)
    await _receive(session, rows, invoice, request, now, original=original)
    return BatchItemResult(index=index, invoice_id=invoice["invoice_id"], status="received")


def _new_invoice(
    request: InvoiceInput, provider: str, key: str, request_hash: str, now: datetime
) -> dict[str, Any]:
    return {
        "invoice_id": str(uuid.uuid4()),
        "provider": provider,
        "ssin": request.ssin,
        "agreement_number": request.agreement_number,
        "issued_on": request.issued_on or now.date(),
        "corrects_invoice_id": request.corrects_invoice_id,
        "status": InvoiceStatus.RECEIVED,
        "submitted_at": now,
        "idempotency_key": key,
        "request_hash": request_hash,
    }


@dataclass
class _Rows:
    """What one request receives, as rows for `repository.add_received`, written by `write`."""

    invoices: list[dict[str, Any]] = field(default_factory=list)
    lines: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)

    def add_pending(self, invoice: dict[str, Any], request: InvoiceInput, now: datetime) -> None:
        """The invoice's lines, pending, and its first history entry."""
        intake_key = person_key(person_id=None, ssin=request.ssin)
        self.lines += (
            {
                "invoice_id": invoice["invoice_id"],
                "line_number": line.line_number,
                "date_of_care": line.date_of_care,
                "admission_date": line.admission_date,
                "code": line.code,
                "amount": line.amount,
                "status": LineStatus.PENDING,
                "reasons": [],
                "urgent_medical_aid": False,
                "provider": invoice["provider"],
                "ssin": request.ssin,
                "person_key": intake_key,
            }
            for line in request.lines
        )
        self.history.append(
            {
                "invoice_id": invoice["invoice_id"],
                "status": InvoiceStatus.RECEIVED,
                "changed_at": now,
            }
        )

    async def write(self, session: AsyncSession) -> None:
        await repository.add_received(
            session, invoices=self.invoices, lines=self.lines, history=self.history
        )


async def _receive(
    session: AsyncSession,
    rows: _Rows,
    invoice: dict[str, Any],
    request: InvoiceInput,
    now: datetime,
    *,
    original: Invoice | None,
) -> None:
    """Queue the lines as pending and `InvoiceSubmitted`; a correction first cancels the
    lines it replaces (`InvoiceLinesCancelled` with `replaced_by`), in the same transaction."""
    if original is not None:
        await replace_by_correction(
            session, original=original, correction_id=invoice["invoice_id"], now=now
        )
    rows.add_pending(invoice, request, now)
    await emit(
        session,
        InvoiceSubmitted(
            invoice_id=invoice["invoice_id"],
            provider=invoice["provider"],
            ssin=request.ssin,
            agreement_number=request.agreement_number,
            submitted_at=now,
            issued_on=invoice["issued_on"],
            corrects_invoice_id=invoice["corrects_invoice_id"],
            lines=[
                SubmittedLine(
                    line_number=line.line_number,
                    date_of_care=line.date_of_care,
                    code=line.code,
                    amount=line.amount,
                    admission_date=line.admission_date,
                )
                for line in sorted(request.lines, key=lambda item: item.line_number)
            ],
        ),
        subject=invoice["invoice_id"],
        source=SOURCE,
        occurred_at=now,
    )


def _invoice_hash(request: InvoiceInput) -> str:
    """The body as parsed, every field in it. Optional fields added since v1 (admission dates,
    the issue date, the corrected invoice) are left out when absent, so an invoice without them
    hashes as before they existed and a retry of an invoice received then still gets its answer."""
    exclude: dict[str, Any] = {
        name: True
        for name in ("issued_on", "corrects_invoice_id")
        if getattr(request, name) is None
    }
    if not any(line.admission_date for line in request.lines):
        exclude["lines"] = {"__all__": {"admission_date"}}
    dumped = request.model_dump_json(exclude=exclude or None)
    return hashlib.sha256(dumped.encode()).hexdigest()


def _hash(document: object) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _same_request_or_conflict(
    earlier: repository.KeyedInvoice, request_hash: str
) -> InvoiceReceived:
    if earlier.request_hash != request_hash:
        raise _key_reused("invoice")
    return InvoiceReceived(invoice_id=earlier.invoice_id, status=InvoiceStatus.RECEIVED)


def _same_batch_or_conflict(earlier: InvoiceBatch, request_hash: str) -> BatchReceived:
    if earlier.request_hash != request_hash or earlier.answer is None:
        raise _key_reused("batch")
    return BatchReceived.model_validate(earlier.answer)
