"""The console with the real invoicing service behind it (in process, on its own SQLite
database, trusting the console's local tokens), and invoices written straight into it."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import update

from console.backends import Backends
from console.main import create_app
from console.settings import ConsoleSettings
from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.main import service as invoicing_service
from invoicing.payments.models import PaymentRun
from mediprima_contracts.testing.factories import random_enterprise_number, random_ssin
from servicekit.db import Database
from servicekit.settings import LOCAL_AUDIENCE, LOCAL_ISSUER
from servicekit.testing import TokenFactory, embedded_settings, running_service

NOW = datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Platform:
    console_app: Any
    invoicing: Database

    def browser(self) -> httpx.AsyncClient:
        """A browser of its own (its own session cookie) on the console."""
        transport = httpx.ASGITransport(app=self.console_app)
        return httpx.AsyncClient(transport=transport, base_url="http://console")

    async def add_invoice(
        self,
        provider: str,
        *,
        ssin: str | None = None,
        reasons: list[dict[str, str]] | None = None,
        minutes_ago: int = 0,
    ) -> str:
        """An adjudicated invoice of one line: refused with `reasons`, else accepted and owing
        33.51 (state and OCMW shares)."""
        invoice_id, ssin = str(uuid.uuid4()), ssin or str(random_ssin())
        verdict = "rejected" if reasons else "accepted"

        def share(amount: str) -> Decimal | None:
            return None if reasons else Decimal(amount)

        async with self.invoicing.transaction() as session:
            session.add(
                Invoice(
                    invoice_id=invoice_id,
                    provider=provider,
                    ssin=ssin,
                    issued_on=NOW.date(),
                    status=verdict,
                    submitted_at=NOW - timedelta(minutes=minutes_ago),
                    idempotency_key=invoice_id,
                    request_hash="0" * 64,
                )
            )
            session.add(
                InvoiceLine(
                    invoice_id=invoice_id,
                    line_number=1,
                    date_of_care=NOW.date() - timedelta(days=3),
                    code="101032",
                    amount=Decimal("33.51"),
                    status=verdict,
                    state_share=share("29.51"),
                    ocmw_share=share("4.00"),
                    patient_share=share("0.00"),
                    reasons=reasons or [],
                    decision_number="1234567",
                    version=1,
                    ocmw=str(random_enterprise_number()),
                    urgent_medical_aid=False,
                    provider=provider,
                    ssin=ssin,
                    person_key=f"ssin:{ssin}",
                )
            )
        return invoice_id

    async def run_in_flight(self, *, to_pay: int, paid: int, idle_minutes: int = 0) -> str:
        """A run invoicing is still paying (or that crashed halfway, not resumed yet), which
        last moved `idle_minutes` ago."""
        run_id = str(uuid.uuid4())
        async with self.invoicing.transaction() as session:
            session.add(
                PaymentRun(
                    run_id=run_id,
                    started_at=datetime.now(UTC) - timedelta(minutes=idle_minutes),
                    progressed_at=datetime.now(UTC) - timedelta(minutes=idle_minutes),
                    status="running",
                    providers_to_pay=to_pay,
                    providers_paid=paid,
                    paid_invoices=paid,
                    amount=Decimal("33.51") * paid,
                )
            )
        return run_id

    async def finish(self, run_id: str) -> None:
        async with self.invoicing.transaction() as session:
            await session.execute(
                update(PaymentRun)
                .where(PaymentRun.run_id == run_id)
                .values(status="finished", finished_at=datetime.now(UTC))
            )


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    keys = TokenFactory.create(tmp_path / "keys").keys_dir
    tokens = TokenFactory(keys, issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)
    settings = embedded_settings(invoicing_service, tmp_path, tokens)
    console_settings = ConsoleSettings(var_dir=tmp_path, port_offset=40_000)
    async with running_service(invoicing_service, settings) as invoicing:
        app = create_app(console_settings)
        async with LifespanManager(app) as manager:
            await app.state.backends.close()
            app.state.backends = Backends(
                console_settings.service_urls, timeout=10.0, clients={"invoicing": invoicing}
            )
            database = Database(settings.database_url)
            try:
                yield Platform(manager.app, database)
            finally:
                await database.dispose()
