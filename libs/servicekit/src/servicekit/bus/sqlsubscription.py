"""A consumer-group member on the SQL event log: heartbeats in the background, fetches, commits."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import structlog
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from servicekit.bus import sqlgroup
from servicekit.bus import sqltables as t
from servicekit.bus.api import Record
from servicekit.bus.sqlgroup import Member, TopicPartition
from servicekit.bus.sqlwake import LogWakeups

log = structlog.get_logger()
_CLOSE_PATIENCE = 35.0  # longer than a beat waiting out busy_timeout


@dataclass(frozen=True, slots=True)
class GroupTiming:
    session_timeout: float
    heartbeat_interval: float


class _Cursor:
    """Where this member reads next in a partition it holds; replaced whenever it is re-claimed."""

    __slots__ = ("next_offset",)

    def __init__(self, next_offset: int) -> None:
        self.next_offset = next_offset


_Fetched = tuple[TopicPartition, _Cursor, int, list[Any]]


class SqlLogSubscription:
    """Reads from the partitions whose leases it holds, starting at the group's committed offset.

    Like a Kafka consumer it moves its own position forward as it fetches, so an uncommitted
    record is not fetched twice by the same member; it comes again only to the next owner.
    """

    def __init__(
        self,
        *,
        engine: AsyncEngine,
        reader: AsyncEngine,
        group: str,
        topics: Sequence[str],
        client_id: str,
        timing: GroupTiming,
        wakeups: LogWakeups,
        on_close: Callable[[SqlLogSubscription], None],
    ) -> None:
        self._engine = engine
        self._reader = reader
        self._timing = timing
        self._wakeups = wakeups
        self._read_up_to: int | None = None
        self._on_close = on_close
        self._member = Member(
            group=group,
            member_id=f"{client_id}-{uuid.uuid4().hex}",
            topics=tuple(dict.fromkeys(topics)),
            session_timeout=timedelta(seconds=timing.session_timeout),
        )
        self._cursors: dict[TopicPartition, _Cursor] = {}
        self._heads: dict[TopicPartition, int] = {}
        self._renewed_at = 0.0
        self._rotation = 0
        self._heartbeats: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()

    async def start(self) -> None:
        self._closing.clear()
        await self._heartbeat()
        self._heartbeats = asyncio.create_task(
            self._heartbeat_forever(), name=f"bus-heartbeat-{self._member.member_id}"
        )

    async def close(self) -> None:
        if self._heartbeats is None:
            return
        # Stop between beats: a beat cancelled in the middle of its write would leave the
        # shared SQLite file locked until its thread finishes, stalling every other process.
        self._closing.set()
        _done, hanging = await asyncio.wait({self._heartbeats}, timeout=_CLOSE_PATIENCE)
        for task in hanging:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._heartbeats = None
        self._cursors.clear()
        self._on_close(self)
        try:
            await sqlgroup.leave(self._engine, self._member)
        except Exception:  # the leases expire by themselves; leaving only speeds up takeover
            log.warning("bus.leave_failed", group=self._member.group, exc_info=True)

    def assignment(self) -> frozenset[TopicPartition]:
        """The (topic, partition) pairs this member reads from now."""
        return frozenset(self._cursors)

    async def fetch(self, *, max_records: int = 100, timeout: float = 1.0) -> list[Record]:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            generation = self._wakeups.generation
            records = [] if self._read_up_to == generation else await self._read(max_records)
            if len(records) < max_records:
                # Everything appended before this generation has been read: until it moves
                # (an append, or a partition newly held), reading again would find nothing.
                self._read_up_to = generation
            remaining = deadline - loop.time()
            if records or remaining <= 0:
                return records
            await self._wakeups.wait(generation, remaining)

    def lag(self) -> dict[str, int]:
        behind: dict[str, int] = {}
        for (topic, partition), cursor in self._cursors.items():
            head = self._heads.get((topic, partition), cursor.next_offset)
            behind[topic] = behind.get(topic, 0) + max(0, head - cursor.next_offset)
        return behind

    async def commit(self, *records: Record) -> None:
        offsets = t.group_offsets.c
        async with self._engine.begin() as conn:
            for record in records:
                partition = (record.topic, record.partition)
                if not await sqlgroup.holds_lease(conn, self._member, partition):
                    log.warning(
                        "bus.commit_fenced",
                        group=self._member.group,
                        topic=record.topic,
                        partition=record.partition,
                        offset=record.offset,
                    )
                    continue
                await conn.execute(
                    update(t.group_offsets)
                    .where(
                        offsets.group == self._member.group,
                        offsets.topic == record.topic,
                        offsets.partition == record.partition,
                        offsets.committed_offset < record.offset + 1,
                    )
                    .values(committed_offset=record.offset + 1)
                )

    async def _heartbeat_forever(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), self._timing.heartbeat_interval)
            if self._closing.is_set():
                return
            try:
                await self._heartbeat()
            except Exception:  # a database hiccup must not kill the member; leases expire meanwhile
                log.warning("bus.heartbeat_failed", group=self._member.group, exc_info=True)

    async def _heartbeat(self) -> None:
        started = asyncio.get_running_loop().time()
        rebalance = await sqlgroup.heartbeat(self._engine, self._member, frozenset(self._cursors))
        cursors = {tp: c for tp, c in self._cursors.items() if tp in rebalance.held}
        for partition, committed in rebalance.starts.items():
            cursors[partition] = _Cursor(committed)
        self._cursors = cursors
        if rebalance.starts:
            self._read_up_to = None
            self._wakeups.appended()
        self._renewed_at = started

    async def _read(self, max_records: int) -> list[Record]:
        if asyncio.get_running_loop().time() - self._renewed_at > self._timing.session_timeout:
            # Our leases may have expired and been taken: stop reading until we renew them.
            self._cursors = {}
        if not self._cursors:
            return []
        fetched = await self._read_partitions(self._rotated_cursors(), max_records)
        records: list[Record] = []
        for partition, cursor, start, rows in fetched:
            if self._cursors.get(partition) is not cursor or cursor.next_offset != start:
                continue  # lost or re-claimed while we were reading: its next owner reads it
            records.extend(
                Record(partition[0], partition[1], row.offset, row.key, row.value, row.headers)
                for row in rows
            )
            cursor.next_offset = rows[-1].offset + 1
        return records

    def _rotated_cursors(self) -> list[tuple[TopicPartition, _Cursor]]:
        """Start each fetch at a different partition so a backlog in one starves no other."""
        ordered = sorted(self._cursors.items())
        self._rotation = (self._rotation + 1) % len(ordered)
        return ordered[self._rotation :] + ordered[: self._rotation]

    async def _read_partitions(
        self, cursors: list[tuple[TopicPartition, _Cursor]], max_records: int
    ) -> list[_Fetched]:
        fetched: list[_Fetched] = []
        async with self._reader.connect() as conn, conn.begin():
            heads = self._heads = await _partition_heads(conn, self._member.topics)
            budget = max_records
            for partition, cursor in cursors:
                start = cursor.next_offset
                if budget <= 0 or heads.get(partition, 0) <= start:
                    continue
                rows = await _read_from(conn, partition, start, budget)
                if rows:
                    fetched.append((partition, cursor, start, rows))
                    budget -= len(rows)
        return fetched


async def _partition_heads(
    conn: AsyncConnection, topics: Sequence[str]
) -> dict[TopicPartition, int]:
    """Each partition's next offset: one cheap query tells an idle poll that nothing is new."""
    rows = await conn.execute(
        select(t.partitions.c.topic, t.partitions.c.partition, t.partitions.c.next_offset).where(
            t.partitions.c.topic.in_(topics)
        )
    )
    return {(topic, partition): next_offset for topic, partition, next_offset in rows}


async def _read_from(
    conn: AsyncConnection, partition: TopicPartition, start: int, limit: int
) -> list[Any]:
    rows = await conn.execute(
        select(t.log.c.offset, t.log.c.key, t.log.c.value, t.log.c.headers)
        .where(
            t.log.c.topic == partition[0],
            t.log.c.partition == partition[1],
            t.log.c.offset >= start,
        )
        .order_by(t.log.c.offset)
        .limit(limit)
    )
    return list(rows)
