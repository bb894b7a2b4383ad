"""The embedded event bus: Kafka's topics, keys, offsets and consumer groups on an SQL table.

Services on one machine share one SQLite file (or, scaled out without Kafka, one PostgreSQL
database); each record lands in `bus_log` under (topic, partition, offset) like on a broker.
"""

from __future__ import annotations

import asyncio
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence

from sqlalchemy import func, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection

from servicekit.bus import sqltables as t
from servicekit.bus.api import (
    BusUnavailableError,
    OutgoingRecord,
    RecordRefusedError,
    UnknownTopicError,
)
from servicekit.bus.sqlengine import (
    create_log_engine,
    create_tables,
    insert_ignoring_duplicates,
    serialise_schema_changes,
)
from servicekit.bus.sqlsubscription import GroupTiming, SqlLogSubscription
from servicekit.bus.sqlwake import LogWakeups, announce_append
from servicekit.db import read_only
from servicekit.filewrites import LOOK_ANYWAY_SECONDS
from servicekit.sqlite import check_writable, file_key

KAFKA_DEFAULT_MESSAGE_BYTES = 1_048_576
"""The producer's `max.request.size` default: the SQL log refuses what Kafka would refuse."""


def partition_for(key: str, partition_count: int) -> int:
    """The key's partition: CRC-32 is stable across processes and runs, unlike `hash()`."""
    return zlib.crc32(key.encode()) % partition_count


class SqlLogBus:
    """An `EventBus` on SQLite (aiosqlite, several processes on one file) or PostgreSQL (asyncpg).

    `session_timeout` and `heartbeat_interval` (seconds) play the part of the Kafka consumer
    settings of the same names; tests shorten them. Every beat of every member is a write
    transaction on the shared file (a few milliseconds of CPU), so members beat every 10 s: a
    crashed member's partitions move after 30 s (Kafka's own default session is 45 s), and an
    idle platform stays idle.

    Subscriptions wait for appends rather than poll (`servicekit.bus.sqlwake`): on SQLite,
    another process's append is noticed within `poll_interval` seconds while the log is busy
    and within `idle_poll_interval` while it is idle, or at once where the file is watched
    (Linux; then an idle process looks only every `look_anyway_interval`); on PostgreSQL at
    once (LISTEN/NOTIFY).

    A record whose key, value and headers together pass `max_message_bytes` is refused
    (`RecordRefusedError`) like Kafka refuses one over its message limit, so both backends
    stall or park alike.
    """

    def __init__(
        self,
        url: str,
        *,
        partitions: int = 3,
        client_id: str = "mediprima",
        session_timeout: float = 30.0,
        heartbeat_interval: float = 10.0,
        poll_interval: float = 0.05,
        idle_poll_interval: float = 0.5,
        look_anyway_interval: float = LOOK_ANYWAY_SECONDS,
        busy_timeout: float = 30.0,
        ping_timeout: float = 5.0,
        max_message_bytes: int = KAFKA_DEFAULT_MESSAGE_BYTES,
    ) -> None:
        if partitions < 1:
            raise ValueError("a topic needs at least one partition")
        self._partitions = partitions
        self._client_id = client_id
        self._timing = GroupTiming(
            session_timeout=session_timeout,
            heartbeat_interval=heartbeat_interval,
        )
        self._ping_timeout = ping_timeout
        self._max_message_bytes = max_message_bytes
        self._engine = create_log_engine(url, busy_timeout_ms=int(busy_timeout * 1000))
        self._reader = read_only(self._engine)
        self._wakeups = LogWakeups(
            self._reader,
            fastest=poll_interval,
            slowest=idle_poll_interval,
            look_anyway=look_anyway_interval,
        )
        self._partition_counts: dict[str, int] = {}
        self._subscriptions: set[SqlLogSubscription] = set()

    async def start(self) -> None:
        await create_tables(self._engine)

    async def close(self) -> None:
        for subscription in list(self._subscriptions):
            await subscription.close()
        await self._wakeups.close()
        await self._engine.dispose()

    async def create_topics(self, topics: Sequence[str]) -> None:
        """Create missing topics; an existing topic keeps its partition count, as on Kafka."""
        async with self._engine.begin() as conn:
            await serialise_schema_changes(conn)
            existing = await self._count_partitions(conn, topics)
            rows = [
                {"topic": topic, "partition": partition, "next_offset": 0}
                for topic in dict.fromkeys(topics)
                if topic not in existing
                for partition in range(self._partitions)
            ]
            if rows:
                await conn.execute(insert_ignoring_duplicates(conn, t.partitions), rows)

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        """Append the batch in one transaction: all of it becomes visible at once, or none."""
        if not records:
            return
        for record in records:
            size = record_size(record)
            if size > self._max_message_bytes:
                raise RecordRefusedError(
                    f"a record of {size} bytes is over the event log's limit of "
                    f"{self._max_message_bytes} bytes"
                )
        async with self._engine.begin() as conn:
            await self._append(conn, records)
            await announce_append(conn)
        self._wakeups.appended()

    async def _append(self, conn: AsyncConnection, records: Sequence[OutgoingRecord]) -> None:
        """Append inside `conn`'s transaction.

        Why no consumer ever skips an event, even when producing transactions commit out of
        order: a partition's offsets are handed out by `UPDATE bus_partitions SET next_offset =
        next_offset + n ... RETURNING`, in the same transaction that inserts the records. That
        UPDATE locks the partition's row (on SQLite, `BEGIN IMMEDIATE` locks the whole file) until
        the transaction ends, so a second producer of the partition waits, then numbers its
        records after the first one's. Offsets of a partition therefore become visible strictly
        in order and without gaps (a rolled-back append gives its numbers back), and a consumer
        that has read up to offset N will find N+1 next, never a later offset with N+1 still to
        come. Partitions are locked in sorted order, so two batches cannot deadlock.
        """
        counts = await self._partition_counts_of(conn, {record.topic for record in records})
        by_partition: dict[tuple[str, int], list[OutgoingRecord]] = defaultdict(list)
        for record in records:
            partition = partition_for(record.key, counts[record.topic])
            by_partition[(record.topic, partition)].append(record)
        for topic, partition in sorted(by_partition):
            await _append_to_partition(conn, topic, partition, by_partition[(topic, partition)])

    def subscribe(self, *, group: str, topics: Sequence[str]) -> SqlLogSubscription:
        subscription = SqlLogSubscription(
            engine=self._engine,
            reader=self._reader,
            group=group,
            topics=topics,
            client_id=self._client_id,
            timing=self._timing,
            wakeups=self._wakeups,
            on_close=self._subscriptions.discard,
        )
        self._subscriptions.add(subscription)
        return subscription

    async def ping(self) -> None:
        """Raise unless events can be appended: a SQLite log is readable while another process
        holds its write lock, but nothing can be published or committed."""
        try:
            log_file = file_key(self._engine.url.database or "")
            if self._engine.dialect.name == "sqlite" and log_file is not None:
                await check_writable(log_file, patience=self._ping_timeout)
                return
            async with asyncio.timeout(self._ping_timeout), self._reader.connect() as conn:
                await conn.execute(text("SELECT 1"))
        except Exception as exc:
            raise BusUnavailableError(f"event log database unreachable: {exc!r}") from exc

    async def _partition_counts_of(self, conn: AsyncConnection, topics: set[str]) -> dict[str, int]:
        missing = topics - self._partition_counts.keys()
        if missing:
            # Cached for good: a topic's partition count never changes once created.
            self._partition_counts.update(await self._count_partitions(conn, missing))
        unknown = topics - self._partition_counts.keys()
        if unknown:
            raise UnknownTopicError(f"no such topic: {', '.join(sorted(unknown))}")
        return {topic: self._partition_counts[topic] for topic in topics}

    @staticmethod
    async def _count_partitions(conn: AsyncConnection, topics: Iterable[str]) -> dict[str, int]:
        rows = await conn.execute(
            select(t.partitions.c.topic, func.count())
            .where(t.partitions.c.topic.in_(list(topics)))
            .group_by(t.partitions.c.topic)
        )
        return {topic: count for topic, count in rows}


def record_size(record: OutgoingRecord) -> int:
    return (
        len(record.key.encode())
        + len(record.value)
        + sum(len(name.encode()) + len(value.encode()) for name, value in record.headers.items())
    )


async def _append_to_partition(
    conn: AsyncConnection, topic: str, partition: int, records: list[OutgoingRecord]
) -> None:
    next_offset = (
        await conn.execute(
            update(t.partitions)
            .where(t.partitions.c.topic == topic, t.partitions.c.partition == partition)
            .values(next_offset=t.partitions.c.next_offset + len(records))
            .returning(t.partitions.c.next_offset)
        )
    ).scalar_one()
    first = next_offset - len(records)
    await conn.execute(
        insert(t.log),
        [
            {
                "topic": topic,
                "partition": partition,
                "offset": first + index,
                "key": record.key,
                "value": record.value,
                "headers": dict(record.headers),
            }
            for index, record in enumerate(records)
        ],
    )
