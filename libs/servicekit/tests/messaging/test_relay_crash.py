"""A relay killed mid-flight loses nothing, and the inbox makes its repeats harmless."""

import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from servicekit.messaging.consumer import EventConsumer
from servicekit.messaging.outbox import emit
from servicekit.messaging.tables import outbox

from .harness import Backend, Rig, applied, consultation_event, records_on, rig

RELAY = Path(__file__).with_name("relay_process.py")
EVENTS, BATCH = 12, 5
BACKENDS = [
    pytest.param("sql", id="sqlite+sql-log"),
    pytest.param("kafka", id="postgres+kafka", marks=[pytest.mark.kafka, pytest.mark.postgres]),
]


def run_relay(r: Rig, crash_at: str) -> int:
    completed = subprocess.run(
        [sys.executable, str(RELAY), r.database.url, r.bus_kind, r.bus_address, r.prefix, crash_at],
        timeout=120,
        check=False,
    )
    return completed.returncode


async def unpublished(r: Rig) -> int:
    async with r.database.transaction() as session:
        query = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        return int(await session.scalar(query) or 0)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(
    ("crash_at", "published_twice"),
    [
        pytest.param("fetched", 0, id="killed-before-publish"),
        pytest.param("published", BATCH, id="killed-after-publish"),
    ],
)
async def test_a_killed_relay_loses_and_doubles_nothing(
    backend: Backend, crash_at: str, published_twice: int, tmp_path: Path
) -> None:
    async with rig(backend, tmp_path) as r:
        await r.bus.create_topics([CONSULTATIONS])
        events = [consultation_event() for _ in range(EVENTS)]
        async with r.database.transaction() as session:
            for event in events:
                await emit(session, event, source="test")

        assert run_relay(r, crash_at) == -signal.SIGKILL
        assert await unpublished(r) == EVENTS
        assert run_relay(r, "never") == 0
        assert await unpublished(r) == 0

        records = await records_on(r, CONSULTATIONS, EVENTS + published_twice)
        assert len(records) == EVENTS + published_twice

        handled: list[str] = []

        async def apply(session: AsyncSession, envelope: Envelope[Any]) -> None:
            handled.append(str(envelope.id))
            await session.execute(applied.insert().values(event_id=str(envelope.id)))

        consumer = EventConsumer(
            group="reader",
            topics=[CONSULTATIONS],
            handlers={ConsultationRecorded.event_type: apply},
            database=r.database,
            bus=r.bus,
        )
        for record in records:
            await consumer.process(record)

        async with r.database.transaction() as session:
            stored = set(await session.scalars(select(applied.c.event_id)))
        assert sorted(handled) == sorted(stored)
        assert len(handled) == EVENTS
        assert stored == {record.headers["event_id"] for record in records}
