"""Invoices naming an agreement number this service has not seen yet wait for it (C-02).

A GP gets the agreement number from consultation and may bill the same minute; the
consultation's event can reach this service after the invoice. Priced at once, the invoice would
be refused as `agreement.unknown` although the guarantee exists. So it waits: the consultation's
arrival prices it, and a sweep prices what is left once the patience runs out (a number that is
truly unknown is then refused as before). Claiming a row deletes it: an invoice is priced by
whoever deletes it, once, on any number of instances.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.events.invoices import InvoiceSubmitted
from mediprima_domain.guarantee import Agreement
from servicekit.db import table_of
from servicekit.unique_rows import insert_unless_present
from tariffing.agreements.models import ConsultationView
from tariffing.pricing.models import InvoiceAwaitingAgreement

SWEEP_BATCH = 100
_WAITING_ROWS = table_of(InvoiceAwaitingAgreement)
_WAITING = _WAITING_ROWS.c


def names_an_unseen_agreement(invoice: InvoiceSubmitted, agreement: Agreement | None) -> bool:
    """`agreement`: what this service knows of the invoice's agreement number."""
    return invoice.agreement_number is not None and agreement is None


async def wait_for_agreement(
    session: AsyncSession, invoice: InvoiceSubmitted, *, now: datetime
) -> None:
    """Keep the invoice until its agreement arrives; a redelivery keeps the first wait."""
    assert invoice.agreement_number is not None
    await insert_unless_present(
        session,
        InvoiceAwaitingAgreement(
            invoice_id=invoice.invoice_id,
            agreement_number=invoice.agreement_number,
            invoice=invoice.model_dump(mode="json"),
            waiting_since=now,
        ),
        lambda: session.get(InvoiceAwaitingAgreement, invoice.invoice_id),
    )


async def take_waiting_for(session: AsyncSession, agreement_number: str) -> list[InvoiceSubmitted]:
    """Claim the invoices waiting for this agreement number."""
    return await _claim(session, _WAITING.agreement_number == agreement_number)


async def take_due(
    session: AsyncSession, *, now: datetime, patience: timedelta
) -> list[InvoiceSubmitted]:
    """Claim a batch of the invoices whose agreement has arrived (a wake-up lost to a race
    between two transactions) or whose patience has run out."""
    ids = await session.scalars(
        select(InvoiceAwaitingAgreement.invoice_id)
        .where(
            or_(
                InvoiceAwaitingAgreement.waiting_since <= now - patience,
                InvoiceAwaitingAgreement.agreement_number.in_(
                    select(ConsultationView.agreement_number).where(
                        ConsultationView.agreement_number.is_not(None)
                    )
                ),
            )
        )
        .order_by(InvoiceAwaitingAgreement.waiting_since)
        .limit(SWEEP_BATCH)
    )
    due = list(ids)
    if not due:
        return []
    return await _claim(session, _WAITING.invoice_id.in_(due))


async def _claim(session: AsyncSession, condition: ColumnElement[bool]) -> list[InvoiceSubmitted]:
    rows = await session.scalars(delete(_WAITING_ROWS).where(condition).returning(_WAITING.invoice))
    invoices = [InvoiceSubmitted.model_validate(row) for row in rows]
    return sorted(invoices, key=lambda invoice: (invoice.submitted_at, invoice.invoice_id))
