"""Prices every submitted invoice and publishes the verdict per line (I-02, I-03).

Pricing the same invoice again (a resubmission, a replay) publishes the verdict kept the first
time, so the result never depends on what was priced in between (e.g. the OCMW's monthly cap).
An invoice naming an agreement number not seen yet waits for its consultation (`waiting`).
"""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.consultations import ConsultationRecorded
from mediprima_contracts.events.invoices import InvoiceLinesCancelled, InvoiceSubmitted
from mediprima_contracts.events.pricing import InvoicePriced
from mediprima_domain.identity import person_key
from servicekit.messaging.outbox import emit
from tariffing.agreements.recording import keep_consultation
from tariffing.notices.service import keep_late_notices
from tariffing.pricing import repository, waiting
from tariffing.pricing.facts import Facts, read_facts
from tariffing.pricing.repository import Copayment
from tariffing.pricing.service import LineToPrice, price_with
from tariffing.pricing.verdicts import priced_line

SOURCE = "tariffing"


async def on_invoice_submitted(session: AsyncSession, envelope: Envelope[Any]) -> None:
    invoice: InvoiceSubmitted = envelope.data
    kept = await repository.priced_invoice(session, invoice.invoice_id)
    if kept is not None:
        await emit(session, InvoicePriced.model_validate(kept), source=SOURCE)
        return
    facts = await _read_facts(session, invoice)
    if waiting.names_an_unseen_agreement(invoice, facts.agreement):
        await waiting.wait_for_agreement(session, invoice, now=datetime.now(UTC))
        return
    await _publish_priced(session, invoice, facts)


async def on_consultation_recorded(session: AsyncSession, envelope: Envelope[Any]) -> None:
    """Keep the consultation; the invoices that waited for its agreement number are priced."""
    consultation: ConsultationRecorded = envelope.data
    await keep_consultation(session, consultation)
    if consultation.agreement_number is None:
        return
    await session.flush()
    for invoice in await waiting.take_waiting_for(session, consultation.agreement_number):
        await price_waited(session, invoice)


async def price_waited(session: AsyncSession, invoice: InvoiceSubmitted) -> None:
    """Price an invoice whose wait was just claimed, unless a redelivery of it, arriving once
    its agreement was known, priced it meanwhile (and left its waiting row behind)."""
    if await repository.priced_invoice(session, invoice.invoice_id) is None:
        await price_and_publish(session, invoice)


async def price_and_publish(session: AsyncSession, invoice: InvoiceSubmitted) -> None:
    """Price an invoice not priced before and publish the verdict."""
    await _publish_priced(session, invoice, await _read_facts(session, invoice))


async def _read_facts(session: AsyncSession, invoice: InvoiceSubmitted) -> Facts:
    return await read_facts(
        session,
        ssin=invoice.ssin,
        agreement_number=invoice.agreement_number,
        codes={line.code for line in invoice.lines},
    )


async def _publish_priced(session: AsyncSession, invoice: InvoiceSubmitted, facts: Facts) -> None:
    lines = sorted(invoice.lines, key=lambda line: line.line_number)
    pricing = price_with(
        facts,
        ssin=invoice.ssin,
        provider=invoice.provider,
        agreement_number=invoice.agreement_number,
        lines=[
            LineToPrice(line.code, line.date_of_care, line.amount, line.admission_date)
            for line in lines
        ],
        today=invoice.submitted_at.astimezone(UTC).date(),
        issued_on=invoice.issued_on,
    )
    prices, person_id = pricing.lines, pricing.person_id
    priced = InvoicePriced(
        invoice_id=invoice.invoice_id,
        provider=invoice.provider,
        ssin=invoice.ssin,
        person_id=person_id,
        lines=[priced_line(line, price) for line, price in zip(lines, prices, strict=True)],
    )
    await repository.keep_priced_invoice(
        session,
        invoice_id=invoice.invoice_id,
        ssin=invoice.ssin,
        person_id=person_id,
        person_key=person_key(person_id=person_id, ssin=invoice.ssin),
        result=priced.model_dump(mode="json"),
        copayments=[
            Copayment(line.line_number, line.date_of_care.isoformat()[:7], price.ocmw_copayment)
            for line, price in zip(lines, prices, strict=True)
            if price.accepted and price.ocmw_copayment > 0
        ],
    )
    await keep_late_notices(
        session,
        invoice_id=invoice.invoice_id,
        provider=invoice.provider,
        ssin=invoice.ssin,
        lines=lines,
        prices=prices,
    )
    await emit(session, priced, source=SOURCE)


async def on_invoice_lines_cancelled(session: AsyncSession, envelope: Envelope[Any]) -> None:
    """Cancelled lines are never paid: the OCMW's monthly cap no longer counts them (T-03)."""
    cancelled: InvoiceLinesCancelled = envelope.data
    await repository.release_copayments(
        session, invoice_id=cancelled.invoice_id, line_numbers=cancelled.line_numbers
    )
