"""One answer everywhere: for random decision histories delivered in any order and with repeats,
consultation (C-01), tariffing (T-06, I-02) and settlement (the OCMW a paid line is charged to)
name the same decision, version and OCMW, or the same reason, for every person, care type and day.

Consultation and tariffing each keep their own read model of decisions, fed here through their
own consumers, and each asks `mediprima_domain.coverage.resolve_coverage`; settlement books a
paid line to the OCMW the verdict names, fed here through its own consumer. On SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from consultation.decisions.consumers import on_decision_version as consultation_keeps
from consultation.decisions.service import answer_for
from consultation.main import service as consultation_service
from e2e.decision_histories import (
    CARE_TYPES,
    LAST_DAY,
    Person,
    delivery_orders,
    people_histories,
    probe_days,
)
from mediprima_contracts.components import CareType, PaidLine
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.events.invoices import InvoicePaid
from mediprima_contracts.testing.numbers import make_hospital_number, make_riziv
from mediprima_domain.coverage import CareQuestion
from servicekit.db import Database
from servicekit.testing import envelope, migrate, postgres_database
from settlement.ledger.consumers import on_invoice_paid
from settlement.ledger.models import LedgerLine
from settlement.main import service as settlement_service
from tariffing.decisions.consumers import on_decision_version as tariffing_keeps
from tariffing.main import service as tariffing_service
from tariffing.nomenclature.sample import load_sample_if_empty
from tariffing.nomenclature.service import import_tariffs
from tariffing.pricing.service import LineToPrice, price_lines

GP = make_riziv(profession=1, sequence=12345, qualification="004")
HOSPITAL = make_hospital_number(prefix="710", sequence=123)
HOSPITAL_DAY = "768011"
HOSPITAL_TARIFF = (
    "code,valid_from,valid_until,fee,reimbursement,reimbursement_preferential,patient_share,"
    "provider_types,description\n"
    f"{HOSPITAL_DAY},2025-01-01,,150.00,130.00,140.00,20.00,hospital,TEST - day in hospital\n"
)
BOOKED_PER_EXAMPLE = 4

Answer = tuple[str | None, int | None, str | None, str | None]


@dataclass(frozen=True)
class Services:
    consultation: Database
    tariffing: Database
    settlement: Database


@asynccontextmanager
async def services_on(urls: dict[str, str]) -> AsyncIterator[Services]:
    for definition in (consultation_service, tariffing_service, settlement_service):
        await migrate(definition, urls[definition.name])
    databases = Services(
        *(Database(urls[name]) for name in ("consultation", "tariffing", "settlement"))
    )
    async with databases.tariffing.transaction() as session:
        await load_sample_if_empty(session)
        report = await import_tariffs(session, text=HOSPITAL_TARIFF)
        assert report.imported == 1, report
    try:
        yield databases
    finally:
        for database in (databases.consultation, databases.tariffing, databases.settlement):
            await database.dispose()


@pytest.fixture(scope="module")
async def on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Services]:
    root: Path = tmp_path_factory.mktemp("agreement")
    urls = {
        name: f"sqlite+aiosqlite:///{root / f'{name}.db'}"
        for name in ("consultation", "tariffing", "settlement")
    }
    async with services_on(urls) as databases:
        yield databases


@pytest.fixture(scope="module")
async def on_postgres() -> AsyncIterator[Services]:
    async with AsyncExitStack() as stack:
        urls = {
            name: await stack.enter_async_context(postgres_database(name[:5]))
            for name in ("consultation", "tariffing", "settlement")
        }
        yield await stack.enter_async_context(services_on(urls))


async def feed(databases: Services, delivery: list[DecisionVersionPublished]) -> None:
    """Each event through each service's own consumer, one transaction per event."""
    for event in delivery:
        published = envelope(event, source="decision-registry")
        async with databases.consultation.transaction() as session:
            await consultation_keeps(session, published)
        async with databases.tariffing.transaction() as session:
            await tariffing_keeps(session, published)


async def consultation_says(databases: Services, ssin: str, care: str, on: date) -> Answer:
    provider = GP if care == CareType.GENERAL_MEDICINE else HOSPITAL
    async with databases.consultation.reading() as session:
        answer = await answer_for(
            session, CareQuestion(ssin=ssin, on=on, care_type=CareType(care), provider=provider)
        )
    return (
        answer.decision.decision_number if answer.decision else None,
        answer.decision.version if answer.decision else None,
        answer.ocmw.enterprise_number if answer.ocmw else None,
        answer.refusal.code if answer.refusal else None,
    )


async def tariffing_says(databases: Services, ssin: str, care: str, on: date) -> tuple[Answer, Any]:
    general = care == CareType.GENERAL_MEDICINE
    line = LineToPrice("101032" if general else HOSPITAL_DAY, on, None, None if general else on)
    async with databases.tariffing.reading() as session:
        pricing = await price_lines(
            session,
            ssin=ssin,
            provider=GP if general else HOSPITAL,
            agreement_number=None,
            lines=[line],
            today=LAST_DAY,
        )
    [price] = pricing.lines
    # Pricing may refuse a covered line for its own reasons (D-05 leaves the payers nothing);
    # what must agree is the coverage answer it priced on.
    coverage_refusal = price.refusal if price.refusal and price.refusal.rule != "D-05" else None
    answer = (
        price.decision.decision_number if price.decision else None,
        price.decision.version if price.decision else None,
        price.ocmw.enterprise_number if price.ocmw else None,
        coverage_refusal.code if coverage_refusal else None,
    )
    return answer, price


async def settlement_books(databases: Services, ssin: str, price: Any, on: date) -> Answer:
    """Pay the priced line and read back whom settlement charged it to."""
    invoice_id = uuid.uuid4().hex
    line = PaidLine(
        line_number=1,
        date_of_care=on,
        code=price.code,
        state_share=price.state_share,
        ocmw_share=price.ocmw_share,
        patient_share=price.patient_share,
        decision_number=price.decision.decision_number,
        version=price.decision.version,
        ocmw=price.ocmw.enterprise_number,
        urgent_medical_aid=price.decision.urgent_medical_aid,
    )
    paid = InvoicePaid(
        invoice_id=invoice_id,
        payment_reference=f"PAY-{invoice_id[:12]}",
        provider=GP,
        ssin=ssin,
        paid_at=datetime.now(UTC),
        amount=price.state_share + price.ocmw_share,
        lines=[line],
    )
    async with databases.settlement.transaction() as session:
        await on_invoice_paid(session, envelope(paid, source="invoicing"))
    async with databases.settlement.reading() as session:
        booked = (
            await session.execute(
                select(LedgerLine.decision_number, LedgerLine.version, LedgerLine.ocmw).where(
                    LedgerLine.invoice_id == invoice_id
                )
            )
        ).one()
    return booked.decision_number, booked.version, booked.ocmw, None


async def check_agreement(
    databases: Services,
    people: list[Person],
    history: list[DecisionVersionPublished],
    delivery: list[DecisionVersionPublished],
) -> None:
    await feed(databases, delivery)
    booked = 0
    for person in people:
        for ssin in (person.number, person.new_number):
            for care in CARE_TYPES:
                for on in probe_days(history):
                    consulted = await consultation_says(databases, ssin, care, on)
                    priced, price = await tariffing_says(databases, ssin, care, on)
                    assert priced == consulted, (ssin, care, on)
                    if price.accepted and booked < BOOKED_PER_EXAMPLE:
                        booked += 1
                        charged = await settlement_books(databases, ssin, price, on)
                        assert charged == (*consulted[:3], None), (ssin, care, on)


@st.composite
def histories_and_deliveries(
    draw: st.DrawFn,
) -> tuple[list[Person], list[DecisionVersionPublished], list[DecisionVersionPublished]]:
    people, history = draw(people_histories(gp=GP))
    return people, history, draw(delivery_orders(history))


def examples(count: int) -> settings:
    """Bounded, and the same examples in every run (CI time stays fixed)."""
    return settings(
        max_examples=count,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        derandomize=True,
    )


@examples(25)
@given(example=histories_and_deliveries())
async def test_c01_t06_consultation_pricing_and_settlement_agree_on_sqlite(
    on_sqlite: Services, example: tuple[list[Person], list[Any], list[Any]]
) -> None:
    await check_agreement(on_sqlite, *example)


@pytest.mark.postgres
@examples(6)
@given(example=histories_and_deliveries())
async def test_c01_t06_consultation_pricing_and_settlement_agree_on_postgres(
    on_postgres: Services, example: tuple[list[Person], list[Any], list[Any]]
) -> None:
    await check_agreement(on_postgres, *example)
