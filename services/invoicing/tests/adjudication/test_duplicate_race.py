"""I-02 under concurrency: two replicas adjudicating the same care at once accept it once, also
when it is billed under the person's old and new number."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from invoicing.invoices.consumers import on_invoice_priced
from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.main import service
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.testing.factories import (
    random_bis_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.db import Database
from servicekit.testing import migrate, postgres_database

from ..support import CARE_DAY, Gp, accepted, invoice_body, new_person_id, priced


async def received_invoice(database: Database, gp: Gp, body: dict[str, Any]) -> str:
    invoice_id = str(uuid.uuid4())
    async with database.transaction() as session:
        session.add(
            Invoice(
                invoice_id=invoice_id,
                provider=gp.riziv,
                ssin=body["ssin"],
                status="received",
                submitted_at=datetime.now(UTC),
                idempotency_key=invoice_id,
                request_hash="0" * 64,
            )
        )
        session.add(
            InvoiceLine(
                invoice_id=invoice_id,
                line_number=1,
                date_of_care=CARE_DAY,
                code="101032",
                amount=Decimal("33.51"),
                status="pending",
                reasons=[],
                urgent_medical_aid=False,
                provider=gp.riziv,
                ssin=body["ssin"],
                person_key=f"ssin:{body['ssin']}",  # as intake keys it, before pricing
            )
        )
    return invoice_id


async def adjudicate(database: Database, envelope: Envelope[Any]) -> None:
    """As the consumer runner does: one transaction per attempt, retried when it fails.

    Both read "no accepted line yet" together; the unique index on accepted care makes the later
    flush wait for the earlier commit and fail, and the retry then sees the accepted line.
    """
    for attempt in range(3):
        try:
            async with database.transaction() as session:
                await on_invoice_priced(session, envelope)
            return
        except IntegrityError:
            if attempt == 2:
                raise
            await asyncio.sleep(0.1)


async def adjudicate_at_once(
    database: Database, gp: Gp, bodies: list[dict[str, Any]], person_id: str | None
) -> tuple[list[str], list[list[str]]]:
    """Both invoices priced for `person_id` and adjudicated at the same time; their statuses
    and the reason codes of their line 1."""
    invoice_ids = [await received_invoice(database, gp, body) for body in bodies]
    envelopes: list[Envelope[Any]] = [
        Envelope.wrap(
            priced(invoice_id, gp, body, [accepted()], person_id=person_id),
            source="tariffing",
            correlation_id=uuid.uuid4().hex,
        )
        for invoice_id, body in zip(invoice_ids, bodies, strict=True)
    ]

    await asyncio.gather(*(adjudicate(database, envelope) for envelope in envelopes))

    async with database.transaction() as session:
        invoices = [await session.get(Invoice, invoice_id) for invoice_id in invoice_ids]
        lines = [await session.get(InvoiceLine, (invoice_id, 1)) for invoice_id in invoice_ids]
    statuses = sorted(invoice.status for invoice in invoices if invoice)
    reasons = [[reason["code"] for reason in line.reasons] for line in lines if line]
    return statuses, sorted(reasons)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated invoicing database. SQLite queues writers (BEGIN IMMEDIATE), so there the
    second adjudication waits and reads the first's line; PostgreSQL lets both read at once and
    the unique index on accepted care decides."""
    if request.param == "sqlite":
        url = f"sqlite+aiosqlite:///{tmp_path / 'invoicing.db'}"
        await migrate(service, url)
        database = Database(url)
        yield database
        await database.dispose()
        return
    async with postgres_database("inv_race") as url:
        await migrate(service, url)
        database = Database(url)
        yield database
        await database.dispose()


async def test_i02_two_replicas_adjudicating_the_same_care_at_once_accept_it_once(
    database: Database,
) -> None:
    gp = Gp(random_gp_riziv(), {})
    body = invoice_body(str(random_ssin()))

    statuses, reasons = await adjudicate_at_once(database, gp, [body, body], None)

    assert statuses == ["accepted", "rejected"]
    assert reasons == [[], ["line.duplicate"]]


async def test_i02_the_same_care_under_the_old_and_the_new_number_at_once_is_accepted_once(
    database: Database,
) -> None:
    gp = Gp(random_gp_riziv(), {})
    old, new = invoice_body(str(random_bis_number())), invoice_body(str(random_ssin()))

    statuses, reasons = await adjudicate_at_once(database, gp, [old, new], new_person_id())

    assert statuses == ["accepted", "rejected"]
    assert reasons == [[], ["line.duplicate"]]
