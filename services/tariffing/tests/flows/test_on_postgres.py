"""The same import and pricing on PostgreSQL: all-or-nothing imports, cents summed exactly for the
monthly cap, the kept verdict republished unchanged."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.testing.events import (
    example_certificate_registered,
    example_consultation_recorded,
)
from mediprima_contracts.testing.factories import random_gp_riziv
from mediprima_contracts.values import Money
from mediprima_domain.identity import person_keys
from servicekit.db import Database
from servicekit.messaging.tables import metadata as messaging
from servicekit.testing import migrate, postgres_database
from tariffing.certificates.consumers import on_certificate_registered
from tariffing.decisions.consumers import on_decision_version
from tariffing.main import service
from tariffing.nomenclature.models import Tariff
from tariffing.nomenclature.sample import load_sample_if_empty
from tariffing.nomenclature.schemas import TariffImportRejected
from tariffing.nomenclature.service import import_tariffs
from tariffing.pricing import repository
from tariffing.pricing.consumers import on_consultation_recorded, on_invoice_submitted

from .test_invoice_pricing import one_consultation_invoice, urgent_aid_decision
from .test_tariff_imports import HEADER, NEW_CODE

pytestmark = pytest.mark.postgres


@pytest.fixture
async def database() -> AsyncIterator[Database]:
    async with postgres_database("tariffing") as url:
        await migrate(service, url)
        database = Database(url)
        try:
            async with database.transaction() as session:
                await load_sample_if_empty(session)
            yield database
        finally:
            await database.dispose()


async def apply(database: Database, handler: object, data: EventData) -> None:
    async with database.transaction() as session:
        await handler(session, Envelope.wrap(data, source="test", correlation_id="pg"))  # type: ignore[operator]


async def test_t05_a_rejected_file_leaves_postgres_untouched(database: Database) -> None:
    bad = HEADER + NEW_CODE + "109998,2027-01-01,,1.00,2.00,1.00,0.00,gp,parts too large\n"

    with pytest.raises(TariffImportRejected):
        async with database.transaction() as session:
            await import_tariffs(session, text=bad)
    async with database.transaction() as session:
        report = await import_tariffs(session, text=HEADER + NEW_CODE)

    async with database.reading() as session:
        stored = await session.scalar(
            select(func.count()).select_from(Tariff).where(Tariff.code.like("1099%"))
        )
    assert (report.imported, stored) == (1, 1)


async def test_t03_t04_invoices_priced_on_postgres_keep_the_cap_and_the_verdict(
    database: Database,
) -> None:
    gp = random_gp_riziv()
    decision = urgent_aid_decision()
    consultation = example_consultation_recorded(
        ssin=decision.ssin, provider=gp, decision_number=decision.decision_number, version=1
    )
    assert consultation.agreement_number is not None
    await apply(database, on_decision_version, decision)
    await apply(database, on_consultation_recorded, consultation)
    await apply(
        database, on_certificate_registered, example_certificate_registered(ssin=decision.ssin)
    )
    first = one_consultation_invoice(decision, gp, consultation.agreement_number)
    second = one_consultation_invoice(decision, gp, consultation.agreement_number)

    for invoice in (first, second, first):
        await apply(database, on_invoice_submitted, invoice)

    async with database.reading() as session:
        paid = await repository.ocmw_copayments_by_month(
            session, person_keys(person_id=decision.person_id, numbers={decision.ssin})
        )
        kept = [await repository.priced_invoice(session, i.invoice_id) for i in (first, second)]
        outbox = messaging.tables["outbox"]
        published = list(await session.scalars(select(outbox.c.payload)))
    assert paid == {"2025-03": Money("6.00")}
    assert [invoice["lines"][0]["ocmw_share"] for invoice in kept] == ["4.00", "2.00"]  # type: ignore[index]
    verdicts = [json.loads(payload)["data"] for payload in published]
    again = [verdict for verdict in verdicts if verdict["invoice_id"] == first.invoice_id]
    assert len(verdicts) == 3
    assert again[0] == again[1]
