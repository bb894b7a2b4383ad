"""A row the bus refuses for good is parked with an alert, and the rows behind it go out; a bus
that is only unavailable parks nothing."""

import io
import json
import logging
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import structlog
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from prometheus_client import REGISTRY
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from mediprima_contracts.events import ConsultationRecorded
from mediprima_contracts.events.topics import CONSULTATIONS
from mediprima_contracts.testing.events import example_coverage
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.bus.sqllog import SqlLogBus
from servicekit.logging import configure_logging
from servicekit.messaging import parking
from servicekit.messaging.outbox import emit
from servicekit.messaging.relay import OutboxRelay
from servicekit.messaging.tables import outbox
from servicekit.namespace import NamespacedBus

from .harness import Backend, Rig, consultation_event, records_on, rig

BUS_LIMIT = 4096
BACKENDS = [
    pytest.param("sql", id="sqlite+sql-log"),
    pytest.param("kafka", id="postgres+kafka", marks=[pytest.mark.kafka, pytest.mark.postgres]),
]


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging(service="relay-test", stream=stream)
    # Each test's lines to its own stream, even from loggers an earlier test used.
    structlog.configure(cache_logger_on_first_use=False)
    yield stream
    structlog.reset_defaults()
    logging.getLogger().handlers.clear()


def too_large_for_the_bus() -> ConsultationRecorded:
    providers = [random_gp_riziv() for _ in range(20)]
    coverages = [example_coverage(providers=providers) for _ in range(20)]
    return ConsultationRecorded.model_validate(
        consultation_event().model_dump() | {"coverages": coverages}
    )


async def outbox_rows(r: Rig) -> dict[str, Any]:
    async with r.database.reading() as session:
        rows = (await session.execute(select(outbox))).all()
    return {row.event_id: row for row in rows}


def parked_total() -> float:
    sample = REGISTRY.get_sample_value("mediprima_outbox_parked_total", {"topic": CONSULTATIONS})
    return sample or 0.0


@pytest.mark.parametrize("backend", BACKENDS)
async def test_a_row_over_the_bus_limit_is_parked_and_the_rows_behind_it_are_published(
    backend: Backend, tmp_path: Path, log_lines: io.StringIO
) -> None:
    subject = str(uuid.uuid4())
    parked_before = parked_total()
    async with rig(backend, tmp_path, max_message_bytes=BUS_LIMIT) as r:
        await r.bus.create_topics([CONSULTATIONS])
        async with r.database.transaction() as session:
            before = [
                await emit(session, consultation_event(), source="test", subject=subject),
                await emit(session, consultation_event(), source="test"),
            ]
            huge = await emit(session, too_large_for_the_bus(), source="test", subject=subject)
            behind = [
                await emit(session, consultation_event(), source="test", subject=subject),
                await emit(session, consultation_event(), source="test"),
                await emit(session, consultation_event(), source="test", subject=subject),
            ]
        relay = OutboxRelay(database=r.database, bus=r.bus)

        taken = [await relay.publish_pending() for _ in range(3)]
        records = await records_on(r, CONSULTATIONS, len(before + behind))
        rows = await outbox_rows(r)
        await parking.count_parked(r.database)

    small = [str(envelope.id) for envelope in before + behind]
    assert taken == [3, 3, 0]  # two published and one parked; the three behind; then nothing
    assert sorted(record.headers["event_id"] for record in records) == sorted(small)  # once each
    same_subject = [record.headers["event_id"] for record in records if record.key == subject]
    assert same_subject == [str(before[0].id), str(behind[0].id), str(behind[2].id)]

    parked = rows[str(huge.id)]
    assert len(parked.payload) > BUS_LIMIT
    assert parked.published_at is None
    assert parked.parked_at is not None
    assert str(BUS_LIMIT) in parked.park_reason
    assert all(rows[event_id].published_at is not None for event_id in small)
    assert all(rows[event_id].parked_at is None for event_id in small)

    alerts = [json.loads(line) for line in log_lines.getvalue().splitlines()]
    alerts = [line for line in alerts if line["event"] == "outbox.parked"]
    assert len(alerts) == 1
    assert alerts[0]["level"] == "error"
    assert alerts[0]["event_id"] == str(huge.id)
    assert alerts[0]["event_type"] == ConsultationRecorded.event_type
    assert alerts[0]["topic"] == CONSULTATIONS
    assert alerts[0]["size"] == len(parked.payload)
    assert alerts[0]["reason"] == parked.park_reason
    assert huge.data.ssin not in json.dumps(alerts[0])
    assert subject not in json.dumps(alerts[0])
    assert parked_total() == parked_before + 1
    assert REGISTRY.get_sample_value("mediprima_outbox_parked_rows") == 1


async def test_a_bus_that_cannot_take_records_for_a_while_parks_nothing(tmp_path: Path) -> None:
    """On the SQL log only: its database locked by another writer is as unavailable as a bus
    gets here; a Kafka broker cannot be stopped and started again by a test on the shared one."""
    async with rig("sql", tmp_path) as r:
        await r.bus.create_topics([CONSULTATIONS])
        async with r.database.transaction() as session:
            events = [await emit(session, consultation_event(), source="test") for _ in range(4)]
        impatient = NamespacedBus(SqlLogBus(r.bus_address, busy_timeout=0.1), r.prefix)
        await impatient.start()
        relay = OutboxRelay(database=r.database, bus=impatient)
        try:
            with closing(sqlite3.connect(tmp_path / "bus.db")) as other:
                other.execute("BEGIN EXCLUSIVE")
                with pytest.raises(OperationalError, match="locked"):
                    await relay.publish_pending()
                while_unavailable = await outbox_rows(r)
                other.rollback()
            taken = await relay.publish_pending()
        finally:
            await impatient.close()
        records = await records_on(r, CONSULTATIONS, len(events))
        rows = await outbox_rows(r)

    assert [row for row in while_unavailable.values() if row.published_at or row.parked_at] == []
    assert taken == len(events)
    assert sorted(record.headers["event_id"] for record in records) == sorted(
        str(envelope.id) for envelope in events
    )
    assert all(row.published_at is not None and row.parked_at is None for row in rows.values())


@pytest.mark.kafka
@pytest.mark.postgres
async def test_a_row_over_the_brokers_limit_is_parked_and_the_rows_behind_it_are_published(
    tmp_path: Path,
) -> None:
    """The broker's limit lowered below what the producer allows: the broker refuses the whole
    request, so rows of the refused batch that went out elsewhere may go out twice (inboxes drop
    the repeat), and the producer is replaced to carry on after the refusal."""
    subject = str(uuid.uuid4())
    async with rig("kafka", tmp_path) as r:
        await create_topic_with_a_lower_limit(r, CONSULTATIONS, BUS_LIMIT)
        async with r.database.transaction() as session:
            before = [
                await emit(session, consultation_event(), source="test", subject=subject),
                await emit(session, consultation_event(), source="test"),
            ]
            huge = await emit(session, too_large_for_the_bus(), source="test", subject=subject)
            behind = [
                await emit(session, consultation_event(), source="test", subject=subject),
                await emit(session, consultation_event(), source="test"),
            ]
        relay = OutboxRelay(database=r.database, bus=r.bus)

        taken = [await relay.publish_pending() for _ in range(3)]
        records = await records_on(r, CONSULTATIONS, len(before + behind))
        rows = await outbox_rows(r)

    received = list(dict.fromkeys(record.headers["event_id"] for record in records))
    assert taken == [3, 2, 0]
    assert sorted(received) == sorted(str(envelope.id) for envelope in before + behind)
    same_subject = list(
        dict.fromkeys(record.headers["event_id"] for record in records if record.key == subject)
    )
    assert same_subject == [str(before[0].id), str(behind[0].id)]
    assert rows[str(huge.id)].published_at is None
    assert "MessageSizeTooLarge" in rows[str(huge.id)].park_reason


async def create_topic_with_a_lower_limit(r: Rig, topic: str, limit: int) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=r.bus_address, **KafkaSecurity().client_options())
    await admin.start()
    try:
        await admin.create_topics(
            [
                NewTopic(
                    name=r.prefix + topic,
                    num_partitions=3,
                    replication_factor=1,
                    topic_configs={"max.message.bytes": str(limit)},
                )
            ]
        )
    finally:
        await admin.close()
