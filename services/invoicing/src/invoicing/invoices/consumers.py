"""Records the payer's verdict on every line and publishes the adjudicated invoice."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.invoices import repository, rules
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.invoices import InvoiceAdjudicated
from mediprima_contracts.events.pricing import InvoicePriced
from servicekit.messaging.outbox import emit

SOURCE = "invoicing"


async def on_invoice_priced(session: AsyncSession, envelope: Envelope[Any]) -> None:
    priced: InvoicePriced = envelope.data
    invoice = await repository.get_with_lines(session, priced.invoice_id)
    if invoice is None:
        raise LookupError(f"priced invoice {priced.invoice_id} is unknown here")
    if invoice.status != "received":
        return
    verdicts = {verdict.line_number: verdict for verdict in priced.lines}
    for line in invoice.lines:
        verdict = verdicts[line.line_number]
        line.status = verdict.verdict
        line.state_share = verdict.state_share
        line.ocmw_share = verdict.ocmw_share
        line.patient_share = verdict.patient_share
        line.reasons = [reason.model_dump() for reason in verdict.reasons]
        line.decision_number = verdict.decision_number
        line.version = verdict.version
        line.ocmw = verdict.ocmw
        line.urgent_medical_aid = verdict.urgent_medical_aid
    now = datetime.now(UTC)
    status = rules.invoice_status_i03([line.status for line in invoice.lines])
    await repository.record_status(session, invoice, status, now)
    await emit(
        session,
        InvoiceAdjudicated(
            invoice_id=invoice.invoice_id,
            provider=invoice.provider,
            ssin=invoice.ssin,
            status=status,
            lines=priced.lines,
            adjudicated_at=now,
        ),
        subject=invoice.invoice_id,
        source=SOURCE,
        occurred_at=now,
    )
