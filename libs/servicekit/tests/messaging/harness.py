"""A small service-shaped harness: a database with outbox and inbox, and a bus, per backend."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from sqlalchemy import Column, String, Table

from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from servicekit.bus.api import EventBus, Record
from servicekit.bus.factory import build_bus
from servicekit.db import Database
from servicekit.messaging.tables import metadata
from servicekit.namespace import NamespacedBus
from servicekit.testing import KAFKA_ENV, postgres_database, required_env

Backend = Literal["sql", "kafka"]

applied = Table(
    "applied_events",
    metadata,
    Column("event_id", String(36), primary_key=True),
    extend_existing=True,
)


@dataclass
class Rig:
    database: Database
    bus: EventBus
    bus_kind: str
    bus_address: str
    prefix: str


@asynccontextmanager
async def rig(
    backend: Backend, workdir: Path, *, max_message_bytes: int = 1_048_576
) -> AsyncIterator[Rig]:
    """SQLite + SQL log, or PostgreSQL + Kafka; fresh names so runs never meet."""
    prefix = f"t{uuid.uuid4().hex[:8]}."
    async with AsyncExitStack() as stack:
        if backend == "sql":
            database_url = f"sqlite+aiosqlite:///{workdir / 'service.db'}"
            bus_kind, bus_address = "sql", f"sqlite+aiosqlite:///{workdir / 'bus.db'}"
        else:
            database_url = await stack.enter_async_context(postgres_database("relay"))
            bus_kind, bus_address = "kafka", required_env(KAFKA_ENV)
        database = Database(database_url)
        stack.push_async_callback(database.dispose)
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        inner = build_bus(
            bus_kind,  # type: ignore[arg-type]
            sql_url=bus_address,
            bootstrap_servers=bus_address,
            partitions=3,
            max_message_bytes=max_message_bytes,
        )
        bus = NamespacedBus(inner, prefix)
        await bus.start()
        stack.push_async_callback(bus.close)
        yield Rig(database, bus, bus_kind, bus_address, prefix)


async def records_on(r: Rig, topic: str, expected: int) -> list[Record]:
    """Everything on `topic`: waits for `expected` records, then once more for any beyond."""
    subscription = r.bus.subscribe(group="audit", topics=[topic])
    await subscription.start()
    records: list[Record] = []
    try:
        for _ in range(60):
            records += await subscription.fetch(timeout=1.0)
            if len(records) >= expected:
                break
        records += await subscription.fetch(timeout=1.0)
    finally:
        await subscription.close()
    return records


def consultation_event() -> ConsultationRecorded:
    """Any small valid event will do; a not-covered consultation is the smallest."""
    return ConsultationRecorded(
        consultation_id=str(uuid.uuid4()),
        consulted_at="2026-11-02T10:00:00+00:00",
        provider=random_gp_riziv(),
        ssin=random_ssin(),
        date="2026-11-02",
        covered=False,
        coverages=[],
        urgent_medical_aid_certificate_required=False,
    )
