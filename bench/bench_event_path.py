"""Events through outbox, relay, bus and an inbox consumer, per backend.

Baseline: the same number of rows inserted into the same kind of database in one transaction
each, measured in this run, so the ratio says what the event path costs over plain writes.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bench.report import Measurement
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from mediprima_contracts.testing import example_consultation_recorded
from servicekit.bus.factory import build_bus
from servicekit.db import Database
from servicekit.messaging.consumer import EventConsumer
from servicekit.messaging.outbox import emit
from servicekit.messaging.relay import OutboxRelay
from servicekit.messaging.tables import metadata
from servicekit.namespace import NamespacedBus
from servicekit.testing import postgres_database

EVENTS = 2_000


async def measure() -> list[Measurement]:
    results = []
    with tempfile.TemporaryDirectory() as workdir:
        sqlite_url = f"sqlite+aiosqlite:///{Path(workdir) / 'service.db'}"
        bus_url = f"sqlite+aiosqlite:///{Path(workdir) / 'bus.db'}"
        baseline = await _plain_writes(sqlite_url.replace("service", "baseline"))
        results.append(
            Measurement(
                "sqlite + SQL log: emit→relay→consume",
                await _event_path(sqlite_url, "sql", bus_url),
                "plain SQLite writes",
                baseline,
            )
        )
    if os.environ.get("KAFKA_BOOTSTRAP_SERVERS") and os.environ.get("MEDIPRIMA_TEST_POSTGRES_URL"):
        async with postgres_database("bench") as base_url, postgres_database("bench") as url:
            baseline = await _plain_writes(base_url)
            rate = await _event_path(url, "kafka", os.environ["KAFKA_BOOTSTRAP_SERVERS"])
            results.append(
                Measurement(
                    "postgres + Kafka: emit→relay→consume",
                    rate,
                    "plain PostgreSQL writes",
                    baseline,
                )
            )
    return results


async def _plain_writes(url: str) -> float:
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    started = time.perf_counter()
    for _ in range(EVENTS):
        async with database.transaction() as session:
            await session.execute(
                metadata.tables["inbox"]
                .insert()
                .values(consumer="baseline", event_id=str(uuid.uuid4()), processed_at=_now())
            )
    elapsed = time.perf_counter() - started
    await database.dispose()
    return EVENTS / elapsed


async def _event_path(url: str, kind: str, address: str) -> float:
    database = Database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    bus = NamespacedBus(
        build_bus(kind, sql_url=address, bootstrap_servers=address),  # type: ignore[arg-type]
        f"bench{uuid.uuid4().hex[:8]}.",
    )
    await bus.start()
    await bus.create_topics([CONSULTATIONS])
    done = asyncio.Event()
    seen = 0

    async def count(_session: AsyncSession, _envelope: Envelope[Any]) -> None:
        nonlocal seen
        seen += 1
        if seen == EVENTS:
            done.set()

    consumer = EventConsumer(
        group="bench",
        topics=[CONSULTATIONS],
        handlers={ConsultationRecorded.event_type: count},
        database=database,
        bus=bus,
    )
    stop = asyncio.Event()
    started = time.perf_counter()
    workers = [
        asyncio.create_task(OutboxRelay(database=database, bus=bus).run(stop)),
        asyncio.create_task(consumer.run(stop)),
    ]
    for _ in range(EVENTS):
        async with database.transaction() as session:
            await emit(session, example_consultation_recorded(), source="bench")
    await asyncio.wait_for(done.wait(), timeout=600)
    elapsed = time.perf_counter() - started
    stop.set()
    await asyncio.gather(*workers)
    await bus.close()
    await database.dispose()
    return EVENTS / elapsed


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
