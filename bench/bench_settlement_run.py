"""A settlement run over 100,000 paid lines and 50 OCMWs on SQLite.

Baseline: streaming the same month's lines out of the same database with a plain query,
measured in this run, so the ratio says what aggregation, writing and hashing all 102 files and
reconciling cost over merely reading the month once."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import text

from bench.report import Measurement
from servicekit.db import Database
from servicekit.testing import migrate
from settlement.ledger.synthetic import insert_paid_lines
from settlement.main import service
from settlement.settlements import repository
from settlement.settlements import service as settlements
from settlement.settlements.files import documents

LINES, OCMWS, MONTH = 100_000, 50, "2025-10"


async def measure() -> list[Measurement]:
    with tempfile.TemporaryDirectory() as workdir:
        url = f"sqlite+aiosqlite:///{Path(workdir) / 'settlement.db'}"
        await migrate(service, url)
        database = Database(url)
        try:
            async with database.engine.begin() as connection:
                await insert_paid_lines(connection, month=MONTH, lines=LINES, ocmws=OCMWS)
            baseline = await _plain_read(database)
            run = await _timed_run(database)
            download = await _funder_download(database)
        finally:
            await database.dispose()
    return [
        Measurement("settlement run (lines/s, all files)", run, "plain read", baseline),
        Measurement("funder CSV download (lines/s)", download, "plain read", baseline),
    ]


async def _plain_read(database: Database) -> float:
    started = time.perf_counter()
    async with database.engine.connect() as connection:
        result = await connection.stream(
            text("SELECT * FROM ledger_lines WHERE month = :month ORDER BY ocmw, provider"),
            {"month": MONTH},
        )
        async for _batch in result.partitions(5_000):
            pass
    return LINES / (time.perf_counter() - started)


async def _timed_run(database: Database) -> float:
    started = time.perf_counter()
    async with database.transaction() as session:
        await settlements.run_month(session, month=MONTH)
    return LINES / (time.perf_counter() - started)


async def _funder_download(database: Database) -> float:
    async with database.reading() as session:
        settlement = await repository.by_month(session, MONTH)
        assert settlement is not None
        month = settlements.month_of(settlement)
        started = time.perf_counter()
        async for _chunk in documents.funder_file(session, month, "csv"):
            pass
    return LINES / (time.perf_counter() - started)
