"""Publishes outbox rows to the bus in order, then marks them sent.

A crash after publishing and before marking republishes the same event ids on restart;
consumers drop those through their inbox, so nothing is lost and nothing is applied twice.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import suppress
from datetime import UTC, datetime

import structlog
from sqlalchemy import select, update

from servicekit.bus.api import EventBus, OutgoingRecord
from servicekit.db import Database
from servicekit.messaging.tables import outbox

log = structlog.get_logger()
Checkpoint = Callable[[str, int], Awaitable[None]]
"""Called at `fetched` and `published` with the batch size: where tests inject a crash."""


class OutboxRelay:
    def __init__(
        self,
        *,
        database: Database,
        bus: EventBus,
        batch_size: int = 200,
        idle_seconds: float = 0.05,
        checkpoint: Checkpoint | None = None,
    ) -> None:
        self._database = database
        self._bus = bus
        self._batch_size = batch_size
        self._idle_seconds = idle_seconds
        self._checkpoint = checkpoint

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many events went out."""
        async with self._database.transaction() as session:
            # FOR UPDATE makes a second relay on PostgreSQL wait rather than publish out of order.
            query = (
                select(
                    outbox.c.id, outbox.c.topic, outbox.c.key, outbox.c.payload, outbox.c.headers
                )
                .where(outbox.c.published_at.is_(None))
                .order_by(outbox.c.id)
                .limit(self._batch_size)
                .with_for_update()
            )
            rows = (await session.execute(query)).all()
            if not rows:
                return 0
            await self._reached("fetched", len(rows))
            await self._bus.publish(
                [
                    OutgoingRecord(
                        topic=row.topic,
                        key=row.key,
                        value=row.payload.encode(),
                        headers=row.headers,
                    )
                    for row in rows
                ]
            )
            await self._reached("published", len(rows))
            await session.execute(
                update(outbox)
                .where(outbox.c.id.in_([row.id for row in rows]))
                .values(published_at=datetime.now(UTC))
            )
        log.debug("outbox.published", count=len(rows))
        return len(rows)

    async def _reached(self, stage: str, count: int) -> None:
        if self._checkpoint is not None:
            await self._checkpoint(stage, count)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                if await self.publish_pending():
                    continue
            except Exception as exc:
                log.warning("outbox.publish_failed", error=repr(exc))
                await _sleep_or_stop(stop, 1.0)
                continue
            await _sleep_or_stop(stop, self._idle_seconds)


async def _sleep_or_stop(stop: asyncio.Event, seconds: float) -> None:
    with suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
