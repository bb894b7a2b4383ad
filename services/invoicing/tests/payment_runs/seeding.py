"""Payment-run tests on a migrated database of their own (SQLite or PostgreSQL), with adjudicated
invoices and recoveries written straight through the models."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.statuses import InvoiceStatus, LineStatus
from invoicing.main import service
from invoicing.payments.models import Recovery
from mediprima_contracts.testing.factories import random_ssin
from servicekit.db import Database
from servicekit.testing import migrate, postgres_database

from ..support import CARE_DAY, OCMW

BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=[pytest.mark.postgres]),
]
ACCEPTED_TWICE_REJECTED_ONCE = (
    ("101032", LineStatus.ACCEPTED),
    ("102771", LineStatus.ACCEPTED),
    ("103132", LineStatus.REJECTED),
)


@asynccontextmanager
async def invoicing_database(backend: str, workdir: Path) -> AsyncIterator[Database]:
    async with database_url(backend, workdir) as url:
        await migrate(service, url)
        database = Database(url)
        try:
            yield database
        finally:
            await database.dispose()


@asynccontextmanager
async def database_url(backend: str, workdir: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'invoicing.db'}"
    else:
        async with postgres_database("inv_runs") as url:
            yield url


def add_invoice(
    session: AsyncSession,
    provider: str,
    *,
    submitted_at: datetime | None = None,
    lines: tuple[tuple[str, LineStatus], ...] = ACCEPTED_TWICE_REJECTED_ONCE,
) -> str:
    """An adjudicated invoice; each accepted line owes 30.00 + 5.25."""
    invoice_id, ssin = str(uuid.uuid4()), random_ssin()
    submitted_at = submitted_at or datetime.now(UTC)
    session.add(
        Invoice(
            invoice_id=invoice_id,
            provider=provider,
            ssin=ssin,
            issued_on=submitted_at.date(),
            status=InvoiceStatus.PARTIALLY_ACCEPTED,
            submitted_at=submitted_at,
            idempotency_key=invoice_id,
            request_hash="0" * 64,
        )
    )
    for number, (code, verdict) in enumerate(lines, start=1):
        paid = verdict == LineStatus.ACCEPTED
        session.add(
            InvoiceLine(
                invoice_id=invoice_id,
                line_number=number,
                date_of_care=CARE_DAY,
                code=code,
                amount=Decimal("40.00"),
                status=verdict,
                state_share=Decimal("30.00") if paid else None,
                ocmw_share=Decimal("5.25") if paid else None,
                patient_share=Decimal("4.75") if paid else None,
                reasons=[],
                decision_number="1234567",
                version=1,
                ocmw=OCMW,
                urgent_medical_aid=False,
                provider=provider,
                ssin=ssin,
                person_key=f"ssin:{ssin}",
            )
        )
    return invoice_id


def add_recovery(session: AsyncSession, provider: str, amount: str, *, at: datetime) -> str:
    """What the provider owes back for a credit of lines paid earlier."""
    reference = f"CR-{uuid.uuid4().hex[:12].upper()}"
    session.add(
        Recovery(
            credit_reference=reference,
            provider=provider,
            invoice_id=str(uuid.uuid4()),
            payment_reference=f"PAY-{uuid.uuid4().hex[:12].upper()}",
            amount=Decimal(amount),
            outstanding=Decimal(amount),
            created_at=at,
        )
    )
    return reference
