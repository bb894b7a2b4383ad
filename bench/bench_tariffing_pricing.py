"""Tariffing: pricing invoices (facts read from SQLite, then the pure rules), and the rules alone.

Baselines measured in the same run: for the service path, one plain single-row write transaction
per invoice on the same kind of database; for the pure rules, validating the decision snapshot
they price against (what every request does once anyway).
"""

from __future__ import annotations

import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from bench.report import Measurement
from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.testing import example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv
from mediprima_contracts.values import Money
from mediprima_domain.coverage import DecisionHistory
from servicekit.db import Database
from servicekit.testing import migrate
from tariffing.decisions.models import READ_MODEL, DecisionVersionView
from tariffing.main import service
from tariffing.nomenclature.sample import load_sample_if_empty, read_sample
from tariffing.pricing.rules import price_line
from tariffing.pricing.service import LineToPrice, price_lines

INVOICES = 1_000
LINES = [LineToPrice(code, date(2025, 3, 10), None) for code in ("101032", "102771", "103132")]
PURE_LINES = 20_000
TODAY = date(2025, 3, 14)


async def measure() -> list[Measurement]:
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite+aiosqlite:///{Path(workdir) / 'tariffing.db'}"
        await migrate(service, url)
        database = Database(url)
        try:
            decisions = await _known_decisions(database)
            priced = await _price_invoices(database, decisions)
            baseline = await _plain_writes(database)
        finally:
            await database.dispose()
    pure, parse = _pure_rules()
    return [
        Measurement(
            "sqlite: price a 3-line invoice (read facts+rules)", priced, "plain writes", baseline
        ),
        Measurement("pure price_line, lines", pure, "snapshot validations", parse),
    ]


async def _known_decisions(database: Database) -> list[DecisionVersionPublished]:
    decisions = [
        example_decision_version_published(urgent_medical_aid=False) for _ in range(INVOICES)
    ]
    async with database.transaction() as session:
        await load_sample_if_empty(session)
        for decision in decisions:
            await READ_MODEL.keep(session, decision)
    return decisions


async def _price_invoices(database: Database, decisions: list[DecisionVersionPublished]) -> float:
    provider = random_gp_riziv()
    started = time.perf_counter()
    for decision in decisions:
        # In a transaction, as the invoice consumer and the simulation route price (on SQLite a
        # read-only session runs on aiosqlite's thread, a hop per statement).
        async with database.transaction() as session:
            pricing = await price_lines(
                session,
                ssin=decision.ssin,
                provider=provider,
                agreement_number=None,
                lines=LINES,
                today=TODAY,
            )
            assert all(line.accepted for line in pricing.lines), pricing
    return INVOICES / (time.perf_counter() - started)


async def _plain_writes(database: Database) -> float:
    started = time.perf_counter()
    for number in range(INVOICES):
        async with database.transaction() as session:
            session.add(
                DecisionVersionView(
                    decision_number=f"9{number:011d}",
                    version=1,
                    ssin="00000000097",
                    status="active",
                    snapshot={},
                    received_at=_now(),
                )
            )
    return INVOICES / (time.perf_counter() - started)


def _pure_rules() -> tuple[float, float]:
    decision = example_decision_version_published(urgent_medical_aid=False)
    snapshot = decision.model_dump(mode="json")
    tariffs = [tariff.terms() for tariff in read_sample() if tariff.code == "101032"]
    provider = random_gp_riziv()
    started = time.perf_counter()
    for _ in range(PURE_LINES):
        price_line(
            ssin=decision.ssin,
            code="101032",
            date_of_care=date(2025, 3, 10),
            amount=Money("40.00"),
            tariffs=tariffs,
            history=DecisionHistory([decision]),
            today=TODAY,
            provider=provider,
        )
    pure = PURE_LINES / (time.perf_counter() - started)
    started = time.perf_counter()
    for _ in range(PURE_LINES):
        DecisionVersionPublished.model_validate(snapshot)
    return pure, PURE_LINES / (time.perf_counter() - started)


def _now() -> datetime:
    return datetime.now(UTC)
