"""Is the platform done with what the last measurement set off? Events still in an outbox, or
on the bus beyond a consumer group's committed offset, are work in flight; the next
measurement starts only when there is none, so it does not pay for the previous one."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.structs import TopicPartition
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.stack.setups import Setup
from servicekit.bus import sqltables
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.db import create_engine, read_only
from servicekit.messaging.tables import outbox
from servicekit.registry import load_service

QUIET_PATIENCE_SECONDS = 300.0


@dataclass(frozen=True)
class Subscription:
    group: str
    topic: str


def subscriptions(setup: Setup) -> list[Subscription]:
    """Every (consumer group, topic) of the five services, with the setup's prefix."""
    prefix = setup.topic_prefix
    return [
        Subscription(prefix + spec.group, prefix + topic)
        for name in setup.database_urls
        for spec in load_service(name).consumers
        for topic in spec.topics
    ]


class Backlog:
    """Counts the work in flight in a running setup."""

    def __init__(self, setup: Setup, stack: AsyncExitStack) -> None:
        self._setup = setup
        self._stack = stack
        self._subscriptions = subscriptions(setup)
        self._databases: list[AsyncEngine] = []
        self._bus: AsyncEngine | None = None
        self._admin: AIOKafkaAdminClient | None = None
        self._consumer: AIOKafkaConsumer | None = None

    async def open(self) -> None:
        for url in self._setup.database_urls.values():
            self._databases.append(self._reader(url))
        if self._setup.bus == "sql":
            self._bus = self._reader(self._setup.bus_url)
        else:
            servers = self._setup.kafka_bootstrap_servers
            self._admin = AIOKafkaAdminClient(
                bootstrap_servers=servers, **KafkaSecurity().client_options()
            )
            await self._admin.start()
            self._stack.push_async_callback(self._admin.close)
            self._consumer = AIOKafkaConsumer(
                bootstrap_servers=servers, **KafkaSecurity().client_options()
            )
            await self._consumer.start()
            self._stack.push_async_callback(self._consumer.stop)

    def _reader(self, url: str) -> AsyncEngine:
        """Reads that never take SQLite's write lock (a plain transaction there does)."""
        engine = create_engine(url)
        self._stack.push_async_callback(engine.dispose)
        return read_only(engine)

    async def count(self) -> int:
        unpublished = 0
        for engine in self._databases:
            async with engine.connect() as connection:
                unpublished += (
                    await connection.scalar(
                        select(func.count())
                        .select_from(outbox)
                        .where(outbox.c.published_at.is_(None))
                    )
                    or 0
                )
        return unpublished + await (self._sql_lag() if self._bus else self._kafka_lag())

    async def _sql_lag(self) -> int:
        assert self._bus is not None
        async with self._bus.connect() as connection:
            heads = {
                (row.topic, row.partition): row.next_offset
                for row in await connection.execute(select(sqltables.partitions))
            }
            committed = {
                (row.group, row.topic, row.partition): row.committed_offset
                for row in await connection.execute(select(sqltables.group_offsets))
            }
        return sum(
            head - committed.get((item.group, topic, partition), 0)
            for item in self._subscriptions
            for (topic, partition), head in heads.items()
            if topic == item.topic
        )

    async def _kafka_lag(self) -> int:
        assert self._admin is not None
        assert self._consumer is not None
        await self._consumer.topics()  # fresh metadata: topics created since start
        lag = 0
        for item in self._subscriptions:
            partitions = [
                TopicPartition(item.topic, number)
                for number in self._consumer.partitions_for_topic(item.topic) or ()
            ]
            if not partitions:
                continue
            heads = await self._consumer.end_offsets(partitions)
            committed = await self._admin.list_consumer_group_offsets(item.group)
            lag += sum(
                head - (committed[partition].offset if partition in committed else 0)
                for partition, head in heads.items()
            )
        return lag

    async def wait_until_empty(self, patience: float = QUIET_PATIENCE_SECONDS) -> float:
        """Seconds until nothing is in flight twice in a row (an event being applied may queue
        another before its offset is committed)."""
        loop = asyncio.get_running_loop()
        started = loop.time()
        empty_in_a_row = 0
        while empty_in_a_row < 2:
            if loop.time() - started > patience:
                raise TimeoutError(f"work still in flight after {patience:.0f}s")
            empty_in_a_row = empty_in_a_row + 1 if await self.count() == 0 else 0
            await asyncio.sleep(0.2)
        return loop.time() - started


@asynccontextmanager
async def backlog_of(setup: Setup) -> AsyncIterator[Backlog]:
    async with AsyncExitStack() as stack:
        backlog = Backlog(setup, stack)
        await backlog.open()
        yield backlog
