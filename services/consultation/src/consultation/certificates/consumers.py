"""Learns which certificates paid lines rely on (C-04), from `InvoicePaid`; idempotent."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificates import repository
from consultation.certificates.models import CertificateReliance
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.invoices import InvoicePaid

log = structlog.get_logger()


async def on_invoice_paid(session: AsyncSession, envelope: Envelope[Any]) -> None:
    paid: InvoicePaid = envelope.data
    for line in paid.lines:
        if line.certificate_number is None:
            continue
        if await repository.reliance(
            session, invoice_id=paid.invoice_id, line_number=line.line_number
        ):
            continue  # the same payment published again
        certificate = await repository.get(session, line.certificate_number, lock=True)
        if certificate is None:
            log.warning(
                "consultation.certificate.reliance_on_unknown",
                certificate=line.certificate_number,
                invoice_id=paid.invoice_id,
            )
            continue
        await repository.add_reliance(
            session,
            CertificateReliance(
                invoice_id=paid.invoice_id,
                line_number=line.line_number,
                certificate_number=certificate.certificate_number,
                date_of_care=line.date_of_care,
                paid_at=paid.paid_at,
            ),
        )
        if certificate.relied_on_at is None:
            certificate.relied_on_at = paid.paid_at
            log.info(
                "consultation.certificate.relied_on", certificate=certificate.certificate_number
            )
        if certificate.withdrawn_at is not None:
            log.warning(
                "consultation.certificate.paid_after_withdrawal",
                certificate=certificate.certificate_number,
                invoice_id=paid.invoice_id,
            )
