"""The consumer runner: effects once, failures retried, poison dead-lettered, the group moves on."""

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from mediprima_contracts.registry import serialize_envelope
from servicekit.bus.api import OutgoingRecord, Record
from servicekit.bus.factory import dead_letter_topic
from servicekit.messaging.consumer import EventConsumer, Handler
from servicekit.outages import DependencyUnavailable

from .harness import Backend, Rig, applied, consultation_event, rig

BACKENDS = [
    pytest.param("sql", id="sqlite+sql-log"),
    pytest.param("kafka", id="postgres+kafka", marks=[pytest.mark.kafka, pytest.mark.postgres]),
]


def envelope_bytes(event: ConsultationRecorded) -> bytes:
    envelope: Envelope[Any] = Envelope.wrap(event, source="test", correlation_id="corr-1")
    return serialize_envelope(envelope)


async def drain(r: Rig, group: str, topic: str, expected: int) -> list[Record]:
    subscription = r.bus.subscribe(group=group, topics=[topic])
    await subscription.start()
    records: list[Record] = []
    try:
        for _ in range(60):
            records += await subscription.fetch(timeout=1.0)
            if len(records) >= expected:
                break
    finally:
        await subscription.close()
    return records


async def dead_letters_while_consuming(
    r: Rig, group: str, apply: Handler, *, expected: int
) -> list[Record]:
    """Run `group`'s consumer on the consultations with `apply` until `expected` events reached
    its dead-letter topic; those records."""
    consumer = EventConsumer(
        group=group,
        topics=[CONSULTATIONS],
        handlers={ConsultationRecorded.event_type: apply},
        database=r.database,
        bus=r.bus,
        retry_seconds=0.01,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(consumer.run(stop))
    dead = await drain(r, "dlq-reader", dead_letter_topic(group), expected=expected)
    stop.set()
    await running
    return dead


async def applied_ids(r: Rig) -> set[str]:
    async with r.database.transaction() as session:
        return set(await session.scalars(select(applied.c.event_id)))


@pytest.mark.parametrize("backend", BACKENDS)
async def test_poison_goes_to_the_dead_letter_topic_and_the_group_moves_on(
    backend: Backend, tmp_path: Path
) -> None:
    async with rig(backend, tmp_path) as r:
        group = "poison-test"
        await r.bus.create_topics([CONSULTATIONS, dead_letter_topic(group)])
        good, bad = consultation_event(), consultation_event()
        await r.bus.publish(
            [
                OutgoingRecord(CONSULTATIONS, "k", b"{not json", {"event_id": "garbage"}),
                OutgoingRecord(CONSULTATIONS, "k", envelope_bytes(bad), {}),
                OutgoingRecord(CONSULTATIONS, "k", envelope_bytes(good), {}),
            ]
        )

        async def apply(session: AsyncSession, envelope: Envelope[Any]) -> None:
            if envelope.data.consultation_id == bad.consultation_id:
                raise ValueError("this one cannot be applied")
            await session.execute(applied.insert().values(event_id=str(envelope.id)))

        dead = await dead_letters_while_consuming(r, group, apply, expected=2)

        assert len(dead) == 2
        assert dead[0].value == b"{not json"
        assert "unreadable event" in dead[0].headers["error"]
        assert dead[0].headers["original_topic"] == CONSULTATIONS
        assert "this one cannot be applied" in dead[1].headers["error"]
        assert len(await applied_ids(r)) == 1


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_redelivered_event_is_applied_once(backend: Backend, tmp_path: Path) -> None:
    async with rig(backend, tmp_path) as r:
        await r.bus.create_topics([CONSULTATIONS])
        value = envelope_bytes(consultation_event())
        await r.bus.publish([OutgoingRecord(CONSULTATIONS, "k", value, {})] * 3)
        calls: list[str] = []

        async def apply(session: AsyncSession, envelope: Envelope[Any]) -> None:
            calls.append(str(envelope.id))
            await session.execute(applied.insert().values(event_id=str(envelope.id)))

        consumer = EventConsumer(
            group="dup-test",
            topics=[CONSULTATIONS],
            handlers={ConsultationRecorded.event_type: apply},
            database=r.database,
            bus=r.bus,
        )
        for record in await drain(r, "dup-test", CONSULTATIONS, expected=3):
            await consumer.process(record)

        assert len(calls) == 1
        assert await applied_ids(r) == set(calls)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_failure_that_passes_is_retried_not_dead_lettered(
    backend: Backend, tmp_path: Path
) -> None:
    async with rig(backend, tmp_path) as r:
        await r.bus.create_topics([CONSULTATIONS])
        await r.bus.publish(
            [OutgoingRecord(CONSULTATIONS, "k", envelope_bytes(consultation_event()), {})]
        )
        attempts: list[int] = []

        async def flaky(session: AsyncSession, envelope: Envelope[Any]) -> None:
            attempts.append(1)
            await session.execute(applied.insert().values(event_id=str(envelope.id)))
            if len(attempts) < 2:
                raise RuntimeError("a passing fault")  # an outage takes another path (below)

        consumer = EventConsumer(
            group="retry-test",
            topics=[CONSULTATIONS],
            handlers={ConsultationRecorded.event_type: flaky},
            database=r.database,
            bus=r.bus,
            retry_seconds=0.01,
        )
        for record in await drain(r, "retry-test", CONSULTATIONS, expected=1):
            await consumer.process(record)

        assert len(attempts) == 2
        assert len(await applied_ids(r)) == 1


async def test_a_dead_letter_carries_no_national_number(tmp_path: Path) -> None:
    async with rig("sql", tmp_path) as r:
        group = "privacy-test"
        await r.bus.create_topics([CONSULTATIONS, dead_letter_topic(group)])
        unreadable, failing = consultation_event(), consultation_event()
        document = json.loads(envelope_bytes(unreadable))
        del document["data"]["covered"]  # invalid: its error would echo the whole data
        await r.bus.publish(
            [
                OutgoingRecord(CONSULTATIONS, "k", json.dumps(document).encode(), {}),
                OutgoingRecord(CONSULTATIONS, "k", envelope_bytes(failing), {}),
            ]
        )

        async def apply(session: AsyncSession, envelope: Envelope[Any]) -> None:
            raise ValueError(f"no decision for {envelope.data.ssin}")

        dead = await dead_letters_while_consuming(r, group, apply, expected=2)

    errors = [record.headers["error"] for record in dead]
    assert "data.covered: missing" in errors[0]
    assert f"no decision for *******{failing.ssin[-4:]}" in errors[1]
    for error in errors:
        assert unreadable.ssin not in error
        assert failing.ssin not in error


@pytest.mark.parametrize("backend", BACKENDS)
async def test_an_event_waits_out_a_database_outage_and_is_never_dead_lettered_for_it(
    backend: Backend, tmp_path: Path
) -> None:
    """`make chaos` found it: tariffing dead-lettered an invoice while PostgreSQL restarted
    (`ConnectionResetError` on every try), so the invoice was never priced."""
    async with rig(backend, tmp_path) as r:
        group = "outage-test"
        await r.bus.create_topics([CONSULTATIONS, dead_letter_topic(group)])
        await r.bus.publish(
            [OutgoingRecord(CONSULTATIONS, "k", envelope_bytes(consultation_event()), {})]
        )
        attempts: list[int] = []

        async def database_away(session: AsyncSession, envelope: Envelope[Any]) -> None:
            attempts.append(1)
            await session.execute(applied.insert().values(event_id=str(envelope.id)))
            if len(attempts) <= 6:  # twice as many tries as the consumer gives a failing event
                raise ConnectionResetError(104, "Connection reset by peer")

        consumer = EventConsumer(
            group=group,
            topics=[CONSULTATIONS],
            handlers={ConsultationRecorded.event_type: database_away},
            database=r.database,
            bus=r.bus,
            retry_seconds=0.01,
        )
        for record in await drain(r, group, CONSULTATIONS, expected=1):
            while True:
                try:
                    await consumer.process(record)
                    break
                except DependencyUnavailable:
                    pass  # what the supervisor does: the consumer again, from its position

        assert len(attempts) == 7
        assert len(await applied_ids(r)) == 1
        assert await drain(r, "dlq-reader", dead_letter_topic(group), expected=0) == []
