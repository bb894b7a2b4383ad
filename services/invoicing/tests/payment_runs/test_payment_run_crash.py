"""I-05: a payment run killed halfway and run again pays every line exactly once."""

import asyncio
import json
import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select

from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.main import service
from invoicing.payments.models import PaymentRun, ProviderPayment
from invoicing.payments.service import run_payments
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.db import Database
from servicekit.messaging.tables import outbox
from servicekit.testing import migrate, postgres_database

from ..support import CARE_DAY, OCMW

PROCESS = Path(__file__).with_name("payment_run_process.py")
PROVIDERS, INVOICES_EACH = 5, 2
BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=[pytest.mark.postgres]),
]


@asynccontextmanager
async def invoicing_database(backend: str, workdir: Path) -> AsyncIterator[Database]:
    async with _url(backend, workdir) as url:
        await migrate(service, url)
        database = Database(url)
        try:
            yield database
        finally:
            await database.dispose()


@asynccontextmanager
async def _url(backend: str, workdir: Path) -> AsyncIterator[str]:
    if backend == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'invoicing.db'}"
    else:
        async with postgres_database("inv_crash") as url:
            yield url


async def seed(database: Database) -> dict[tuple[str, int], str]:
    """Adjudicated invoices of several providers: two accepted lines and a rejected one each."""
    lines: dict[tuple[str, int], str] = {}
    now = datetime.now(UTC)
    async with database.transaction() as session:
        for _ in range(PROVIDERS):
            provider = random_gp_riziv()
            for _ in range(INVOICES_EACH):
                invoice_id, ssin = str(uuid.uuid4()), random_ssin()
                session.add(
                    Invoice(
                        invoice_id=invoice_id,
                        provider=provider,
                        ssin=ssin,
                        status="partially_accepted",
                        submitted_at=now,
                        idempotency_key=invoice_id,
                        request_hash="0" * 64,
                    )
                )
                for number, (code, verdict) in enumerate(
                    [("101032", "accepted"), ("102771", "accepted"), ("103132", "rejected")],
                    start=1,
                ):
                    session.add(
                        InvoiceLine(
                            invoice_id=invoice_id,
                            line_number=number,
                            date_of_care=CARE_DAY,
                            code=code,
                            amount=Decimal("40.00"),
                            status=verdict,
                            state_share=Decimal("30.00") if verdict == "accepted" else None,
                            ocmw_share=Decimal("5.25") if verdict == "accepted" else None,
                            patient_share=Decimal("4.75") if verdict == "accepted" else None,
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
                    lines[(invoice_id, number)] = verdict
    return lines


def run_process(database: Database, crash_at: str) -> int:
    completed = subprocess.run(
        [sys.executable, str(PROCESS), database.url, crash_at], timeout=120, check=False
    )
    return completed.returncode


async def paid_lines(database: Database) -> dict[tuple[str, int], str | None]:
    async with database.reading() as session:
        rows = await session.execute(
            select(InvoiceLine.invoice_id, InvoiceLine.line_number, InvoiceLine.payment_reference)
        )
        return {(invoice_id, number): reference for invoice_id, number, reference in rows.all()}


async def paid_events(database: Database) -> list[dict[str, object]]:
    async with database.reading() as session:
        payloads = await session.scalars(select(outbox.c.payload).order_by(outbox.c.id))
        events = [json.loads(payload) for payload in payloads]
    return [event["data"] for event in events if event["type"] == "mediprima.invoice.paid"]


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("crash_at", "paid_before_restart"),
    [
        pytest.param("claimed:3", 2, id="killed-before-the-third-provider-commits"),
        pytest.param("committed:3", 3, id="killed-after-the-third-provider-commits"),
    ],
)
async def test_i05_a_run_killed_halfway_then_restarted_pays_every_line_exactly_once(
    backend: str, crash_at: str, paid_before_restart: int, tmp_path: Path
) -> None:
    async with invoicing_database(backend, tmp_path) as database:
        lines = await seed(database)
        accepted = {line for line, verdict in lines.items() if verdict == "accepted"}

        assert run_process(database, crash_at) == -signal.SIGKILL

        halfway = await paid_lines(database)
        paid_halfway = {line for line, reference in halfway.items() if reference}
        assert len(paid_halfway) == paid_before_restart * INVOICES_EACH * 2
        assert paid_halfway < accepted
        async with database.reading() as session:
            [(run_id, status)] = (
                await session.execute(select(PaymentRun.run_id, PaymentRun.status))
            ).all()
        assert status == "running"

        assert run_process(database, "never") == 0
        assert run_process(database, "never") == 0  # a second run pays nothing

        final = await paid_lines(database)
        assert {line for line, reference in final.items() if reference} == accepted
        for line in paid_halfway:
            assert final[line] == halfway[line]  # nothing paid before the crash was paid again
        async with database.transaction() as session:
            payments = list(await session.scalars(select(ProviderPayment)))
            runs = list(await session.scalars(select(PaymentRun).order_by(PaymentRun.started_at)))
        assert len(payments) == PROVIDERS
        assert len({payment.provider for payment in payments}) == PROVIDERS
        assert {payment.run_id for payment in payments} == {run_id}  # resumed, not redone
        assert [(run.status, run.paid_invoices) for run in runs] == [
            ("finished", PROVIDERS * INVOICES_EACH),
            ("finished", 0),
        ]
        assert all(payment.amount == Decimal("141.00") for payment in payments)

        events = await paid_events(database)
        assert Counter(str(event["invoice_id"]) for event in events) == Counter(
            {invoice_id: 1 for invoice_id, _ in accepted}
        )
        references = {payment.provider: payment.payment_reference for payment in payments}
        for event in events:
            assert event["payment_reference"] == references[str(event["provider"])]
            assert event["amount"] == "70.50"


@pytest.mark.parametrize("backend", BACKENDS)
async def test_i05_two_runs_at_once_pay_every_line_exactly_once(
    backend: str, tmp_path: Path
) -> None:
    async with invoicing_database(backend, tmp_path) as database:
        lines = await seed(database)
        accepted = {line for line, verdict in lines.items() if verdict == "accepted"}

        results = await asyncio.gather(run_payments(database), run_payments(database))

        final = await paid_lines(database)
        assert {line for line, reference in final.items() if reference} == accepted
        assert sum(result.paid_invoices for result in results) >= PROVIDERS * INVOICES_EACH
        async with database.reading() as session:
            providers = list(await session.scalars(select(ProviderPayment.provider)))
        assert sorted(providers) == sorted(set(providers))  # one payment per provider
        assert len(providers) == PROVIDERS
        events = await paid_events(database)
        assert len(events) == len({str(event["invoice_id"]) for event in events})
        assert len(events) == PROVIDERS * INVOICES_EACH
