"""Prices every submitted invoice and publishes the verdict per line."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.components import Finding, PricedLine
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.invoices import InvoiceSubmitted
from mediprima_contracts.events.pricing import InvoicePriced
from servicekit.messaging.outbox import emit
from tariffing.pricing.service import LineToPrice, price_lines

SOURCE = "tariffing"


async def on_invoice_submitted(session: AsyncSession, envelope: Envelope[Any]) -> None:
    invoice: InvoiceSubmitted = envelope.data
    priced = await price_lines(
        session,
        ssin=invoice.ssin,
        lines=[LineToPrice(line.code, line.date_of_care, line.amount) for line in invoice.lines],
        today=datetime.now(UTC).date(),
    )
    verdicts = []
    for line, price in zip(invoice.lines, priced, strict=True):
        decision = price.decision
        verdicts.append(
            PricedLine(
                line_number=line.line_number,
                date_of_care=line.date_of_care,
                code=line.code,
                verdict="accepted" if price.accepted else "rejected",
                fee=price.fee,
                state_share=price.state_share,
                ocmw_share=price.ocmw_share,
                patient_share=price.patient_share,
                reasons=(
                    [
                        Finding(
                            rule=price.refusal.rule,
                            code=price.refusal.code,
                            message=price.refusal.message,
                        )
                    ]
                    if price.refusal
                    else []
                ),
                decision_number=decision.decision_number if decision else None,
                version=decision.version if decision else None,
                ocmw=decision.ocmw.enterprise_number if decision else None,
                urgent_medical_aid=bool(decision and decision.urgent_medical_aid),
            )
        )
    await emit(
        session,
        InvoicePriced(
            invoice_id=invoice.invoice_id,
            provider=invoice.provider,
            ssin=invoice.ssin,
            lines=verdicts,
        ),
        subject=invoice.invoice_id,
        source=SOURCE,
    )
