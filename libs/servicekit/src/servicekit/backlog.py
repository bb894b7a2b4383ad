"""What an operator checks first: the outbox's backlog and each consumer group's lag.

Lag is the records of a group's topics after its committed offset, summed over partitions:
read from `bus_partitions` and `bus_group_offsets` on the SQL event log, and from the group
coordinator (committed offsets) and the partition leaders (end offsets) on Kafka.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import and_, func, select

from servicekit.bus import sqltables
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.bus.sqlengine import create_log_engine
from servicekit.db import Database
from servicekit.messaging.tables import outbox
from servicekit.settings import ServiceSettings


@dataclass(frozen=True)
class OutboxBacklog:
    unsent: int
    """Rows the relay has still to publish (parked ones not counted)."""
    oldest_unsent_age_seconds: float | None
    parked: int
    """Rows the bus refused for good, waiting for an operator (servicekit.messaging.parking)."""


@dataclass(frozen=True)
class GroupLag:
    group: str
    topic: str
    lag: int


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


async def outbox_backlog(database: Database, *, now: datetime) -> OutboxBacklog:
    async with database.reading() as session:
        unsent, oldest = (
            await session.execute(
                select(func.count(), func.min(outbox.c.created_at)).where(
                    outbox.c.published_at.is_(None), outbox.c.parked_at.is_(None)
                )
            )
        ).one()
        parked = await session.scalar(
            select(func.count()).where(
                outbox.c.published_at.is_(None), outbox.c.parked_at.is_not(None)
            )
        )
    age = None if oldest is None else (now - _utc(oldest)).total_seconds()
    return OutboxBacklog(unsent=int(unsent), oldest_unsent_age_seconds=age, parked=int(parked or 0))


async def consumer_lag(
    settings: ServiceSettings, subscriptions: Sequence[tuple[str, str]]
) -> list[GroupLag]:
    """The lag of each (group, topic) of `subscriptions`, on the bus `settings` name."""
    prefix = settings.topic_prefix
    named = [(prefix + group, prefix + topic) for group, topic in subscriptions]
    if settings.bus == "sql":
        lags = await _sql_log_lag(settings.bus_url, named)
    else:
        lags = await _kafka_lag(settings.kafka_bootstrap_servers, settings.kafka_security, named)
    return [
        GroupLag(group, topic, lag) for (group, topic), lag in zip(subscriptions, lags, strict=True)
    ]


async def _sql_log_lag(url: str, subscriptions: Sequence[tuple[str, str]]) -> list[int]:
    partitions, offsets = sqltables.partitions, sqltables.group_offsets
    engine = create_log_engine(url, busy_timeout_ms=30_000)
    lags: list[int] = []
    try:
        async with engine.connect() as conn:
            for group, topic in subscriptions:
                behind = partitions.c.next_offset - func.coalesce(offsets.c.committed_offset, 0)
                lag = await conn.scalar(
                    select(func.coalesce(func.sum(behind), 0))
                    .select_from(partitions)
                    .outerjoin(
                        offsets,
                        and_(
                            offsets.c.group == group,
                            offsets.c.topic == partitions.c.topic,
                            offsets.c.partition == partitions.c.partition,
                        ),
                    )
                    .where(partitions.c.topic == topic)
                )
                lags.append(int(lag or 0))
    finally:
        await engine.dispose()
    return lags


async def _kafka_lag(
    servers: str, security: KafkaSecurity, subscriptions: Sequence[tuple[str, str]]
) -> list[int]:
    # Imported here: an embedded deployment never loads the Kafka client.
    from aiokafka import AIOKafkaConsumer
    from aiokafka.admin import AIOKafkaAdminClient
    from aiokafka.structs import TopicPartition

    admin = AIOKafkaAdminClient(bootstrap_servers=servers, **security.client_options())
    reader = AIOKafkaConsumer(bootstrap_servers=servers, **security.client_options())
    await admin.start()
    await reader.start()
    lags: list[int] = []
    try:
        described = await admin.describe_topics(sorted({topic for _, topic in subscriptions}))
        partitions = {
            found["topic"]: [part["partition"] for part in found["partitions"]]
            for found in described
            if not found["error_code"]
        }
        for group, topic in subscriptions:
            parts = [TopicPartition(topic, p) for p in partitions.get(topic, [])]
            if not parts:
                lags.append(0)
                continue
            committed = await admin.list_consumer_group_offsets(group, partitions=parts)
            ends = await reader.end_offsets(parts)
            starts = await reader.beginning_offsets(parts)
            lag = 0
            for part in parts:
                position = committed.get(part)
                done = position.offset if position is not None and position.offset >= 0 else -1
                lag += ends[part] - (done if done >= 0 else starts[part])
            lags.append(lag)
    finally:
        await reader.stop()
        await admin.close()
    return lags
