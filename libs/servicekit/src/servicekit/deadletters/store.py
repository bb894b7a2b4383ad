"""Reads and writes of the `dead_letters` table; callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.bus.api import Record
from servicekit.messaging.tables import dead_letters


class DeadLetterStatus(StrEnum):
    WAITING = "waiting"
    """Not applied: waits for an operator to fix the cause and replay it."""
    REPLAYED = "replayed"
    """Replayed once; a further replay changes nothing."""


class StatusFilter(StrEnum):
    WAITING = "waiting"
    REPLAYED = "replayed"
    ALL = "all"


async def keep(
    session: AsyncSession,
    *,
    group: str,
    record: Record,
    error: str,
    event_id: str | None,
    event_type: str | None,
) -> None:
    """Keep `record` as a letter of `group`; a redelivered record keeps its first letter."""
    row = {
        "consumer_group": group,
        "topic": record.topic,
        "partition": record.partition,
        "offset": record.offset,
        "event_id": event_id,
        "event_type": event_type,
        "key": record.key,
        "value": record.value,
        "headers": dict(record.headers),
        "error": error,
        "dead_lettered_at": datetime.now(UTC),
        "replay_attempts": 0,
    }
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    await session.execute(dialect.insert(dead_letters).values(row).on_conflict_do_nothing())


def _status_filter(status: StatusFilter) -> list[Any]:
    if status is StatusFilter.WAITING:
        return [dead_letters.c.replayed_at.is_(None)]
    if status is StatusFilter.REPLAYED:
        return [dead_letters.c.replayed_at.is_not(None)]
    return []


async def listing(
    session: AsyncSession,
    *,
    status: StatusFilter,
    group: str | None,
    offset: int,
    limit: int,
) -> Sequence[Row[Any]]:
    """Letters oldest first, without their record's value."""
    conditions = _status_filter(status)
    if group is not None:
        conditions.append(dead_letters.c.consumer_group == group)
    columns = [column for column in dead_letters.c if column.name != "value"]
    query = (
        select(*columns).where(*conditions).order_by(dead_letters.c.id).offset(offset).limit(limit)
    )
    return (await session.execute(query)).all()


async def waiting_ids(session: AsyncSession, *, group: str | None) -> list[int]:
    query = select(dead_letters.c.id).where(*_status_filter(StatusFilter.WAITING))
    if group is not None:
        query = query.where(dead_letters.c.consumer_group == group)
    return list(await session.scalars(query.order_by(dead_letters.c.id)))


async def waiting_by_group(session: AsyncSession) -> dict[str, int]:
    """How many letters each group has waiting (the metric an operator alerts on)."""
    rows = await session.execute(
        select(dead_letters.c.consumer_group, func.count())
        .where(*_status_filter(StatusFilter.WAITING))
        .group_by(dead_letters.c.consumer_group)
    )
    return {group: count for group, count in rows}


async def get(
    session: AsyncSession, letter_id: int, *, for_update: bool = False
) -> Row[Any] | None:
    query = select(dead_letters).where(dead_letters.c.id == letter_id)
    if for_update:
        query = query.with_for_update()
    return (await session.execute(query)).one_or_none()


async def mark_replayed(session: AsyncSession, letter_id: int) -> None:
    await session.execute(
        update(dead_letters)
        .where(dead_letters.c.id == letter_id)
        .values(replayed_at=datetime.now(UTC), replay_attempts=dead_letters.c.replay_attempts + 1)
    )


async def note_failed_replay(session: AsyncSession, letter_id: int, error: str) -> None:
    """The letter keeps waiting, with the error of the latest replay."""
    await session.execute(
        update(dead_letters)
        .where(dead_letters.c.id == letter_id, dead_letters.c.replayed_at.is_(None))
        .values(error=error, replay_attempts=dead_letters.c.replay_attempts + 1)
    )
