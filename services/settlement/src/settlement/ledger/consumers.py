"""Books every paid line, and every credit of a paid line, into the ledger once."""

from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.components import PaidLine
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.invoices import InvoiceLinesCredited, InvoicePaid
from settlement.ledger import repository, rules
from settlement.ledger.models import CREDIT, PAID

log = structlog.get_logger()


async def on_invoice_paid(session: AsyncSession, envelope: Envelope[Any]) -> None:
    paid: InvoicePaid = envelope.data
    reference = paid.payment_reference
    await _book(session, paid, PAID, paid.paid_at, reference, payment_reference=reference)


async def on_invoice_lines_credited(session: AsyncSession, envelope: Envelope[Any]) -> None:
    credit: InvoiceLinesCredited = envelope.data
    if credit.payment_reference is None:
        # Credited before payment: nothing was paid, so nothing is settled.
        log.info("settlement.ledger.unpaid_credit_ignored", invoice_id=credit.invoice_id)
        return
    await _book(
        session,
        credit,
        CREDIT,
        credit.credited_at,
        credit.credit_reference,
        payment_reference=credit.payment_reference,
    )


async def _book(
    session: AsyncSession,
    invoice: InvoicePaid | InvoiceLinesCredited,
    kind: str,
    happened_at: datetime,
    booking_reference: str,
    *,
    payment_reference: str,
) -> None:
    """One ledger row per line; a credit takes the shares back, so they are booked negative."""
    month = await _booking_month(session, happened_at)
    sign = -1 if kind == CREDIT else 1
    booking = {
        "kind": kind,
        "month": month,
        "booked_at": happened_at.astimezone(UTC),
        "booking_reference": booking_reference,
        "payment_reference": payment_reference,
        "invoice_id": invoice.invoice_id,
        "provider": invoice.provider,
        "ssin": invoice.ssin,
        "person_id": invoice.person_id,
    }
    await repository.book(
        session, [_ledger_row(line, sign=sign, **booking) for line in invoice.lines]
    )


async def _booking_month(session: AsyncSession, happened_at: datetime) -> str:
    await repository.hold_off_closing(session)
    happened_in = rules.calendar_month(happened_at)
    closed = await repository.closed_months_from(session, happened_in)
    return rules.booking_month_s04(happened_in, closed)


def _ledger_row(line: PaidLine, *, sign: int, **booking: Any) -> dict[str, Any]:
    return {
        **booking,
        "line_number": line.line_number,
        "ocmw": line.ocmw,
        "decision_number": line.decision_number,
        "version": line.version,
        "urgent_medical_aid": line.urgent_medical_aid,
        "code": line.code,
        "date_of_care": line.date_of_care,
        "state_share": sign * line.state_share,
        "ocmw_share": sign * line.ocmw_share,
        "patient_share": sign * line.patient_share,
    }
