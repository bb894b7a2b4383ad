"""Batches: applied together when they can be, one by one when one event fails, never twice."""

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from servicekit.bus.api import OutgoingRecord
from servicekit.bus.factory import dead_letter_topic
from servicekit.messaging import outbox
from servicekit.messaging.consumer import EventConsumer
from servicekit.messaging.tables import outbox as outbox_table

from .harness import Backend, Rig, applied, consultation_event, rig
from .test_consumer import BACKENDS, applied_ids, drain, envelope_bytes


async def relayed_subjects(r: Rig) -> list[str]:
    """Subjects of the events the handlers wrote to the outbox, in outbox order."""
    async with r.database.transaction() as session:
        return list(await session.scalars(select(outbox_table.c.key).order_by(outbox_table.c.id)))


def consumer_for(r: Rig, group: str, poison_id: str | None = None) -> EventConsumer:
    async def apply(session: AsyncSession, envelope: Envelope[Any]) -> None:
        await session.execute(applied.insert().values(event_id=str(envelope.id)))
        await outbox.emit(
            session, envelope.data, source="test", subject=envelope.data.consultation_id
        )
        if envelope.data.consultation_id == poison_id:
            raise ValueError("this one cannot be applied")

    return EventConsumer(
        group=group,
        topics=[CONSULTATIONS],
        handlers={ConsultationRecorded.event_type: apply},
        database=r.database,
        bus=r.bus,
        retry_seconds=0.01,
    )


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_poison_event_in_a_batch_is_dead_lettered_alone_and_the_others_applied_once(
    backend: Backend, tmp_path: Path
) -> None:
    async with rig(backend, tmp_path) as r:
        group = "batch-poison"
        await r.bus.create_topics([CONSULTATIONS, dead_letter_topic(group)])
        events = [consultation_event() for _ in range(5)]
        poison = events[2]
        await r.bus.publish(
            [OutgoingRecord(CONSULTATIONS, "one-key", envelope_bytes(e), {}) for e in events]
        )
        consumer = consumer_for(r, group, poison_id=poison.consultation_id)
        records = await drain(r, group, CONSULTATIONS, expected=5)

        assert await consumer.process_batch(records) == 5
        dead = await drain(r, "dlq-reader", dead_letter_topic(group), expected=1)

        good = [e.consultation_id for e in events if e is not poison]
        assert await relayed_subjects(r) == good
        assert len(await applied_ids(r)) == 4
        assert [record.value for record in dead] == [records[2].value]
        assert "this one cannot be applied" in dead[0].headers["error"]


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_batch_applies_each_event_once_in_order_even_when_delivered_twice(
    backend: Backend, tmp_path: Path
) -> None:
    async with rig(backend, tmp_path) as r:
        await r.bus.create_topics([CONSULTATIONS])
        events = [consultation_event() for _ in range(4)]
        values = [envelope_bytes(e) for e in events]
        await r.bus.publish(
            [OutgoingRecord(CONSULTATIONS, "one-key", value, {}) for value in values + values[:2]]
        )
        consumer = consumer_for(r, "batch-twice")
        records = await drain(r, "batch-twice", CONSULTATIONS, expected=6)

        assert await consumer.process_batch(records[:3]) == 3
        assert await consumer.process_batch(records[3:]) == 3

        assert await relayed_subjects(r) == [e.consultation_id for e in events]
        assert len(await applied_ids(r)) == 4


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_running_consumer_commits_a_batch_so_the_group_does_not_see_it_again(
    backend: Backend, tmp_path: Path
) -> None:
    async with rig(backend, tmp_path) as r:
        group = "batch-commit"
        await r.bus.create_topics([CONSULTATIONS, dead_letter_topic(group)])
        events = [consultation_event() for _ in range(6)]
        await r.bus.publish(
            [
                OutgoingRecord(CONSULTATIONS, e.consultation_id, envelope_bytes(e), {})
                for e in events
            ]
        )
        consumer = consumer_for(r, group)
        stop = asyncio.Event()
        running = asyncio.create_task(consumer.run(stop))
        for _ in range(600):
            if len(await applied_ids(r)) == 6:
                break
            await asyncio.sleep(0.05)
        stop.set()
        await running
        late = consultation_event()
        await r.bus.publish(
            [OutgoingRecord(CONSULTATIONS, late.consultation_id, envelope_bytes(late), {})]
        )

        again = await drain(r, group, CONSULTATIONS, expected=1)

        assert [record.key for record in again] == [late.consultation_id]
