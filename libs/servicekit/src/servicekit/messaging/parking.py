"""Outbox rows the bus refuses for good are parked, with an alert, instead of blocking the rest.

A parked row keeps `published_at` empty and gets `parked_at` and `park_reason`; the relay
neither publishes nor retries it. The alert is an error log line `outbox.parked` (event id,
type, topic, size and the bus's reason: never the payload nor the key, which may be a person's
number) and two metrics on `/metrics`: `mediprima_outbox_parked_total` (rows parked by this
process) and `mediprima_outbox_parked_rows` (parked rows waiting in the service's database, so an
alert keeps firing until an operator has dealt with them).

An operator finds them with `SELECT event_id, park_reason FROM outbox WHERE parked_at IS NOT
NULL`. Once the bus takes such a record (its limit raised), clearing `parked_at` lets the relay
publish it, after the later events of its subject; or it is left parked for good.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from prometheus_client import Counter, Gauge
from sqlalchemy import Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.db import Database
from servicekit.messaging.tables import outbox

log = structlog.get_logger()

PARKED = Counter(
    "mediprima_outbox_parked",
    "Outbox rows the bus refused for good (e.g. over its message limit), parked unpublished.",
    ["topic"],
)
PARKED_ROWS = Gauge(
    "mediprima_outbox_parked_rows",
    "Parked outbox rows waiting in this service's database for an operator (counted by the "
    "relay at start, on parking and about once a minute).",
)


@dataclass(frozen=True)
class Refusal:
    """The row the bus refused and why, in the bus's words (sizes and limits, no content)."""

    row: Row[Any]
    reason: str


async def park(session: AsyncSession, refusal: Refusal) -> None:
    await session.execute(
        update(outbox)
        .where(outbox.c.id == refusal.row.id)
        .values(parked_at=datetime.now(UTC), park_reason=refusal.reason)
    )


def alert(refusal: Refusal) -> None:
    """Called once the parking is committed, so a rolled-back one raises no alarm."""
    row = refusal.row
    log.error(
        "outbox.parked",
        event_id=row.event_id,
        event_type=row.headers.get("event_type"),
        topic=row.topic,
        size=len(row.payload.encode()),
        reason=refusal.reason,
    )
    PARKED.labels(topic=row.topic).inc()
    PARKED_ROWS.inc()


async def count_parked(database: Database) -> None:
    async with database.reading() as session:
        count = await session.scalar(
            select(func.count()).select_from(outbox).where(outbox.c.parked_at.is_not(None))
        )
    PARKED_ROWS.set(count or 0)
