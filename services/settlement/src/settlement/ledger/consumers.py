"""Books every paid line into the ledger, once."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.invoices import InvoicePaid
from settlement.ledger.models import LedgerLine


async def on_invoice_paid(session: AsyncSession, envelope: Envelope[Any]) -> None:
    paid: InvoicePaid = envelope.data
    month = paid.paid_at.strftime("%Y-%m")
    session.add_all(
        LedgerLine(
            month=month,
            paid_at=paid.paid_at,
            payment_reference=paid.payment_reference,
            invoice_id=paid.invoice_id,
            line_number=line.line_number,
            provider=paid.provider,
            ssin=paid.ssin,
            ocmw=line.ocmw,
            decision_number=line.decision_number,
            version=line.version,
            urgent_medical_aid=line.urgent_medical_aid,
            code=line.code,
            date_of_care=line.date_of_care,
            state_share=line.state_share,
            ocmw_share=line.ocmw_share,
            patient_share=line.patient_share,
        )
        for line in paid.lines
    )
