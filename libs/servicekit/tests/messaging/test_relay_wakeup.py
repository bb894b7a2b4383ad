"""The relay publishes when an outbox write commits, in its process or (SQLite) in another; it does
not poll for it."""

import asyncio
import json
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.consultations import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from mediprima_contracts.registry import serialize_envelope
from servicekit.messaging.outbox import bus_headers, emit
from servicekit.messaging.relay import OutboxRelay

from .harness import Backend, consultation_event, records_on, rig
from .test_relay_crash import BACKENDS, unpublished

SETTLE = 0.5  # lets the relay find the outbox empty and start waiting; nothing is timed


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_committed_outbox_write_wakes_a_relay_that_checks_once_an_hour(
    backend: Backend, tmp_path: Path
) -> None:
    async with rig(backend, tmp_path) as r:
        await r.bus.create_topics([CONSULTATIONS])
        relay = OutboxRelay(
            database=r.database, bus=r.bus, idle_seconds=3600.0, max_idle_seconds=3600.0
        )
        stop = asyncio.Event()
        running = asyncio.create_task(relay.run(stop))
        await asyncio.sleep(SETTLE)
        event = consultation_event()

        async with r.database.transaction() as session:
            await emit(session, event, source="test", subject=event.consultation_id)
        published = await records_on(r, CONSULTATIONS, 1)
        stop.set()
        await running

        assert [record.key for record in published] == [event.consultation_id]
        assert await unpublished(r) == 0


@pytest.mark.parametrize("backend", [BACKENDS[0]])
async def test_a_row_another_process_writes_wakes_a_relay_watching_the_file(
    backend: Backend, tmp_path: Path
) -> None:
    """A plain sqlite3 connection stands for another process (a command-line job): no signal of
    this process reaches the relay, only the write to the database file."""
    async with rig(backend, tmp_path) as r:
        await r.bus.create_topics([CONSULTATIONS])
        relay = OutboxRelay(
            database=r.database,
            bus=r.bus,
            idle_seconds=3600.0,
            max_idle_seconds=3600.0,
            look_anyway_seconds=3600.0,
        )
        stop = asyncio.Event()
        running = asyncio.create_task(relay.run(stop))
        await asyncio.sleep(SETTLE)
        event = consultation_event()

        write_from_elsewhere(tmp_path / "service.db", event)
        published = await records_on(r, CONSULTATIONS, 1)
        stop.set()
        await running

        assert [record.key for record in published] == [event.consultation_id]
        assert await unpublished(r) == 0


def write_from_elsewhere(database: Path, event: ConsultationRecorded) -> None:
    envelope = Envelope.wrap(
        event, subject=event.consultation_id, source="job", correlation_id="job-run"
    )
    row = {
        "event_id": str(envelope.id),
        "topic": envelope.topic,
        "key": envelope.subject,
        "payload": serialize_envelope(envelope).decode(),
        "headers": json.dumps(bus_headers(envelope)),
        "created_at": datetime.now(UTC).isoformat(" "),
    }
    with closing(sqlite3.connect(database)) as connection, connection:
        columns = ", ".join(row)
        connection.execute(
            f"INSERT INTO outbox ({columns}) VALUES ({', '.join('?' * len(row))})",  # noqa: S608
            list(row.values()),
        )
