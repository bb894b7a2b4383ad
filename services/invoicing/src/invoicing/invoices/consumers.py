"""Records the payer's verdict on every line and publishes the adjudicated invoice."""

from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.approvals.service import approvals_for
from invoicing.invoices import repository, rules
from invoicing.invoices.metrics import VERDICT_DELAY_SECONDS, seconds_between
from invoicing.invoices.statuses import InvoiceStatus, LineStatus
from mediprima_contracts.components import PricedLine
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.invoices import InvoiceAdjudicated
from mediprima_contracts.events.pricing import InvoicePriced
from mediprima_domain.identity import person_key
from servicekit.aftercommit import when_committed
from servicekit.messaging.outbox import emit

SOURCE = "invoicing"
log = structlog.get_logger()


async def on_invoice_priced(session: AsyncSession, envelope: Envelope[Any]) -> None:
    """I-02/I-03/I-04: final verdict per line, the status that follows, the history entry.

    The person pricing named (`person_id`) is kept on the invoice and keys its lines' care, so
    the same care billed under the person's old and new number is accepted once (I-02).

    Deterministic: the billing limit counts from the submission day (never the issue date the
    provider chose), the funder's approvals are those recorded when the invoice is adjudicated,
    and the time recorded is the pricing event's own. A second pricing of an adjudicated invoice
    changes nothing, whatever was recorded since.
    """
    priced: InvoicePriced = envelope.data
    invoice = await repository.invoice_to_adjudicate(session, priced.invoice_id)
    if invoice is None:
        raise LookupError(f"priced invoice {priced.invoice_id} is unknown here")
    if invoice.status != InvoiceStatus.RECEIVED:
        return
    statuses = await repository.line_statuses(session, priced.invoice_id)
    if set(statuses) != {line.line_number for line in priced.lines}:
        raise ValueError(f"pricing of {priced.invoice_id} does not cover its lines one to one")
    # Lines the provider cancelled while pricing ran stay cancelled: judged are the others.
    live_numbers = {number for number, status in statuses.items() if status != LineStatus.CANCELLED}
    priced_lines = [line for line in priced.lines if line.line_number in live_numbers]
    person = person_key(person_id=priced.person_id, ssin=invoice.ssin)
    accepted_elsewhere = await repository.accepted_care(
        session,
        provider=invoice.provider,
        person=person,
        ssin=invoice.ssin,
        care=[(line.date_of_care, line.code) for line in priced_lines],
    )
    submitted_on = invoice.submitted_at.date()
    approvals = (
        await approvals_for(
            session, provider=invoice.provider, ssin=invoice.ssin, person_id=priced.person_id
        )
        if rules.late_lines_i04(priced_lines, submitted_on)
        else []
    )
    final = rules.adjudicate_lines_i02(
        provider=invoice.provider,
        person=person,
        ssin=invoice.ssin,
        priced=priced_lines,
        accepted_elsewhere=accepted_elsewhere,
        submitted_on=submitted_on,
        person_id=priced.person_id,
        approvals=approvals,
    )
    at: datetime = envelope.occurred_at
    status = rules.invoice_status_i03(verdict.verdict.value for verdict in final)
    # Written now, not at commit, so the unique index on accepted care (I-02) refuses a racing
    # twin here, and the event is retried and then sees the other invoice's accepted line.
    await repository.record_verdicts(
        session,
        invoice_id=priced.invoice_id,
        person_id=priced.person_id,
        lines={verdict.line_number: _verdict_columns(verdict, person) for verdict in final},
        status=InvoiceStatus(status.value),
        at=at,
    )
    await emit(
        session,
        InvoiceAdjudicated(
            invoice_id=priced.invoice_id,
            provider=invoice.provider,
            ssin=invoice.ssin,
            person_id=priced.person_id,
            status=status,
            lines=final,
            adjudicated_at=at,
        ),
        subject=priced.invoice_id,
        source=SOURCE,
        occurred_at=at,
    )
    log.info("invoicing.invoice.adjudicated", invoice_id=priced.invoice_id, status=status.value)
    delay = seconds_between(invoice.submitted_at, at)
    when_committed(session, lambda: VERDICT_DELAY_SECONDS.observe(delay))


def _verdict_columns(verdict: PricedLine, person: str) -> dict[str, Any]:
    """What a verdict sets on its line (`repository.record_verdicts`)."""
    return {
        "person_key": person,
        "status": verdict.verdict.value,
        "state_share": verdict.state_share,
        "ocmw_share": verdict.ocmw_share,
        "patient_share": verdict.patient_share,
        "reasons": [reason.model_dump() for reason in verdict.reasons],
        "decision_number": verdict.decision_number,
        "version": verdict.version,
        "ocmw": verdict.ocmw,
        "urgent_medical_aid": verdict.urgent_medical_aid,
        "health_fund_share": verdict.health_fund_share,
        "certificate_number": verdict.certificate_number,
    }
