"""Retention: old outbox, inbox, dead-letter and SQL event-log rows are deleted on a schedule.

What is kept, and why:
- outbox: a row until it is published and older than `outbox_retention`; a parked row (never
  published) is never deleted automatically: an operator deals with it.
- inbox: an entry for `inbox_retention`, which must be longer than any redelivery can come late
  (a redelivery is a record after the group's committed offset: minutes, at worst the days a
  consumer was down), else a redelivered event would be applied a second time.
- dead letters: a waiting letter forever; a replayed one for `dead_letter_retention`.
- SQL event log (embedded bus only; Kafka has its own topic retention): a record of the topics
  this service writes, once older than `event_log_retention` AND below the committed offset of
  every consumer group that reads its topic, so a lagging or stopped group finds all it has still
  to read. A topic no group has read yet keeps everything (its reader may not have started).

Deletes go in batches of `batch` rows, one short transaction each, so the SQLite file shared by
every service is never locked for long.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from servicekit.bus import sqltables
from servicekit.bus.sqlengine import create_log_engine
from servicekit.db import Database
from servicekit.messaging.tables import dead_letters, inbox, outbox
from servicekit.scheduling import Clock, PeriodicJob, Schedule, utc_now
from servicekit.settings import ServiceSettings

log = structlog.get_logger()
BATCH = 5_000


@dataclass(frozen=True)
class Windows:
    outbox: timedelta
    inbox: timedelta
    dead_letters: timedelta
    event_log: timedelta

    @classmethod
    def of(cls, settings: ServiceSettings) -> Windows:
        return cls(
            outbox=settings.outbox_retention,
            inbox=settings.inbox_retention,
            dead_letters=settings.dead_letter_retention,
            event_log=settings.event_log_retention,
        )


@dataclass
class Pruned:
    """Rows deleted, by table."""

    outbox: int = 0
    inbox: int = 0
    dead_letters: int = 0
    event_log: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


async def prune_service_tables(
    database: Database, windows: Windows, *, now: datetime, batch: int = BATCH
) -> Pruned:
    """Delete the service's own outbox, inbox and dead-letter rows past their window."""
    return Pruned(
        outbox=await _delete_done(database, outbox.c.published_at, now - windows.outbox, batch),
        inbox=await _delete_older(database, inbox.c.processed_at, now - windows.inbox, batch),
        dead_letters=await _delete_done(
            database, dead_letters.c.replayed_at, now - windows.dead_letters, batch
        ),
    )


async def _delete_done(database: Database, moment: Any, cutoff: datetime, batch: int) -> int:
    """Like `_delete_older`, for rows still pending while `moment` is unset (an unpublished
    outbox row, a dead letter not replayed): those are never deleted."""
    return await _delete_older(database, moment, cutoff, batch, moment.is_not(None))


async def _delete_older(
    database: Database, moment: Any, cutoff: datetime, batch: int, *more: ColumnElement[bool]
) -> int:
    """Delete rows whose `moment` is before `cutoff`, the oldest `batch` (or a few more, on
    ties) per transaction."""
    table = moment.table
    conditions = [moment < cutoff, *more]
    deleted = 0
    while True:
        async with database.transaction() as session:
            bound = await session.scalar(
                select(moment).where(*conditions).order_by(moment).offset(batch - 1).limit(1)
            )
            extra = [] if bound is None else [moment <= bound]
            result = await session.execute(delete(table).where(*conditions, *extra))
        deleted += result.rowcount or 0  # type: ignore[attr-defined]
        if bound is None:
            return deleted


async def prune_event_log(
    engine: AsyncEngine,
    topics: Iterable[str],
    window: timedelta,
    *,
    now: datetime,
    batch: int = BATCH,
) -> int:
    """Delete records of `topics` older than `window` that every group reading them is past."""
    cutoff = now - window
    deleted = 0
    for topic in sorted(set(topics)):
        async with engine.connect() as conn:
            limits = await _prunable_below(conn, topic, cutoff)
        for partition, (low, high) in limits.items():
            while low < high:
                upper = min(high, low + batch)
                async with engine.begin() as conn:
                    result = await conn.execute(
                        delete(sqltables.log).where(
                            sqltables.log.c.topic == topic,
                            sqltables.log.c.partition == partition,
                            sqltables.log.c.offset < upper,
                        )
                    )
                deleted += result.rowcount or 0
                low = upper
    return deleted


async def _prunable_below(
    conn: AsyncConnection, topic: str, cutoff: datetime
) -> dict[int, tuple[int, int]]:
    """Per partition, the lowest offset still stored and the offset below which all may go."""
    log_table, offsets = sqltables.log, sqltables.group_offsets
    groups = list(
        await conn.scalars(select(offsets.c.group).where(offsets.c.topic == topic).distinct())
    )
    if not groups:
        return {}
    committed: dict[tuple[str, int], int] = {
        (group, partition): position
        for group, partition, position in await conn.execute(
            select(offsets.c.group, offsets.c.partition, offsets.c.committed_offset).where(
                offsets.c.topic == topic
            )
        )
    }
    limits: dict[int, tuple[int, int]] = {}
    partitions = await conn.scalars(
        select(sqltables.partitions.c.partition).where(sqltables.partitions.c.topic == topic)
    )
    for partition in list(partitions):
        in_partition = (log_table.c.topic == topic, log_table.c.partition == partition)
        lowest = await conn.scalar(select(func.min(log_table.c.offset)).where(*in_partition))
        if lowest is None:
            continue
        # A group with no row for this partition has read nothing of it yet.
        every_group_past = min(committed.get((group, partition), 0) for group in groups)
        first_young = await conn.scalar(
            select(func.min(log_table.c.offset)).where(
                *in_partition, log_table.c.appended_at >= cutoff
            )
        )
        high = every_group_past if first_young is None else min(every_group_past, first_young)
        if lowest < high:
            limits[partition] = (lowest, high)
    return limits


async def prune(
    settings: ServiceSettings, database: Database, topics: Iterable[str], *, now: datetime
) -> Pruned:
    """Everything retention deletes for one service: its own tables, and on the embedded bus
    the event-log records of the topics it writes."""
    windows = Windows.of(settings)
    pruned = await prune_service_tables(database, windows, now=now)
    if settings.bus == "sql":
        engine = create_log_engine(settings.bus_url, busy_timeout_ms=30_000)
        try:
            pruned.event_log = await prune_event_log(
                engine,
                [settings.topic_prefix + topic for topic in topics],
                windows.event_log,
                now=now,
            )
        finally:
            await engine.dispose()
    log.info("retention.pruned", **pruned.as_dict())
    return pruned


def retention_job(
    settings: ServiceSettings,
    database: Database,
    topics: Iterable[str],
    *,
    clock: Clock = utc_now,
) -> PeriodicJob:
    """The service's retention on `settings.retention_schedule`, one instance per slot."""
    owned = list(topics)

    async def run() -> None:
        await prune(settings, database, owned, now=clock())

    return PeriodicJob(
        name="retention",
        schedule=Schedule(settings.retention_schedule),
        job=run,
        database=database,
        clock=clock,
    )
