"""The relay publishes when an outbox write commits in its process; it does not poll for it."""

import asyncio
from pathlib import Path

import pytest

from mediprima_contracts.events.topics import CONSULTATIONS
from servicekit.messaging.outbox import emit
from servicekit.messaging.relay import OutboxRelay

from .harness import Backend, consultation_event, rig
from .test_relay_crash import BACKENDS, everything_on_the_topic, unpublished

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
        published = await everything_on_the_topic(r, expected=1)
        stop.set()
        await running

        assert [record.key for record in published] == [event.consultation_id]
        assert await unpublished(r) == 0
