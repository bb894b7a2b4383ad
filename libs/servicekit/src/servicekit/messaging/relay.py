"""Publishes outbox rows to the bus in order, a batch at a time, then marks them sent.

A crash after publishing and before marking republishes the same event ids on restart;
consumers drop those through their inbox, so nothing is lost and nothing is applied twice.

The relay publishes as soon as a transaction of this process that wrote to the outbox commits
(`outbox_signal`); otherwise it looks for rows written by other processes (a command-line job)
with a cheap read (`servicekit.probe`), every `idle_seconds` at first and less often while
nothing comes, up to every `max_idle_seconds`. On an SQLite file it stops looking after two
reads find nothing, until the file is written again (`servicekit.filewrites`).

A row the bus refuses for good (`RecordRefusedError`, e.g. over its message limit) would
otherwise come back first in every batch and hold up everything behind it. So when a batch is
refused the relay publishes its rows one at a time, up to the refused one, which it parks
(`servicekit.messaging.parking`: never published nor retried, with an alert); the rows after it
follow in the next batch. Any other failure (the bus or the database is down) parks nothing: the
rows stay in the outbox and the batch is tried again, for as long as it takes, waiting longer after
each failure in a row (`servicekit.backoff`, up to `max_backoff_seconds`).

Later rows of a parked row's subject are not held back. Kafka keeps order per key, and holding
them would stall that aggregate for good, and with it whatever its consumers do next. Consumers
miss the parked version, but events carry the aggregate's state, so the next version still
brings them up to date; an operator, alerted, decides what to do with the parked one.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import structlog
from sqlalchemy import Row, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.backoff import Backoff
from servicekit.bus.api import EventBus, OutgoingRecord, RecordRefusedError
from servicekit.db import Database
from servicekit.filewrites import LOOK_AGAIN_AFTER_WRITE, LOOK_ANYWAY_SECONDS
from servicekit.messaging import outbox_signal, parking
from servicekit.messaging.parking import Refusal
from servicekit.messaging.tables import outbox
from servicekit.outages import outage_of
from servicekit.probe import IdleProbe
from servicekit.scheduling import until_any_set
from servicekit.tracing import Tracing

log = structlog.get_logger()
Checkpoint = Callable[[str, int], Awaitable[None]]
"""Called at `fetched` and `published` with the batch size: where tests inject a crash."""
PARKED_COUNT_SECONDS = 60.0
"""How often the relay recounts parked rows for the gauge (rows an operator dealt with leave)."""


@dataclass(frozen=True)
class _Sent:
    published: Sequence[Row[Any]]
    refused: Refusal | None = None


class OutboxRelay:
    def __init__(
        self,
        *,
        database: Database,
        bus: EventBus,
        batch_size: int = 200,
        idle_seconds: float = 0.05,
        max_idle_seconds: float = 2.0,
        look_anyway_seconds: float = LOOK_ANYWAY_SECONDS,
        checkpoint: Checkpoint | None = None,
        max_backoff_seconds: float = 5.0,
        tracing: Tracing | None = None,
    ) -> None:
        self._tracing = tracing or Tracing.off("relay")
        self._database = database
        self._bus = bus
        self._batch_size = batch_size
        self._idle_seconds = idle_seconds
        self._max_idle_seconds = max(max_idle_seconds, idle_seconds)
        self._look_anyway = look_anyway_seconds
        self._checkpoint = checkpoint
        self._next_parked_count = 0.0
        self._backoff = Backoff(max_seconds=max_backoff_seconds)
        self._unmarked: _Sent | None = None

    async def publish_pending(self) -> int:
        """Publish one batch; returns how many rows it took care of (published or parked)."""
        if self._database.is_sqlite:
            sent = await self._publish_then_mark()
        else:
            async with self._database.transaction() as session:
                # FOR UPDATE makes a second relay on PostgreSQL wait rather than publish out of
                # order.
                rows = (await session.execute(self._next_batch().with_for_update())).all()
                sent = await self._publish(rows)
                await self._mark(session, sent)
        if sent.refused is not None:
            parking.alert(sent.refused)
        return len(sent.published) + (1 if sent.refused else 0)

    async def _publish_then_mark(self) -> _Sent:
        """SQLite's write lock covers the whole file: held while the bus takes the batch, it
        would stop the service's requests and consumers meanwhile. So read, publish, then mark
        in a short write transaction. Two relays on one file could then both publish an event;
        consumers' inboxes drop the repeat, as after a crash between publishing and marking.

        A batch published but not marked (the file locked beyond the busy timeout) is marked
        first on the next try, rather than published again on every try until the file is free.
        """
        if self._unmarked is not None:
            async with self._database.transaction() as session:
                await self._mark(session, self._unmarked)
            self._unmarked = None
        async with self._database.reading() as session:
            rows = (await session.execute(self._next_batch())).all()
        sent = await self._publish(rows)
        if sent.published or sent.refused:
            self._unmarked = sent
            async with self._database.transaction() as session:
                await self._mark(session, sent)
            self._unmarked = None
        return sent

    def _next_batch(self) -> Select[Any]:
        return (
            select(
                outbox.c.id,
                outbox.c.event_id,
                outbox.c.topic,
                outbox.c.key,
                outbox.c.payload,
                outbox.c.headers,
            )
            .where(outbox.c.published_at.is_(None), outbox.c.parked_at.is_(None))
            .order_by(outbox.c.id)
            .limit(self._batch_size)
        )

    async def _publish(self, rows: Sequence[Row[Any]]) -> _Sent:
        if not rows:
            return _Sent(published=())
        await self._reached("fetched", len(rows))
        try:
            with self._tracing.publishing([_record(row) for row in rows]) as records:
                await self._bus.publish(records)
            sent = _Sent(published=rows)
        except RecordRefusedError:
            sent = await self._publish_one_at_a_time(rows)
        await self._reached("published", len(sent.published))
        return sent

    async def _publish_one_at_a_time(self, rows: Sequence[Row[Any]]) -> _Sent:
        """Each row alone, up to the first the bus refuses alone; the rows after it wait for the
        next batch. Rows refused only together (over a broker's limit as one request) all pass."""
        for index, row in enumerate(rows):
            try:
                with self._tracing.publishing([_record(row)]) as records:
                    await self._bus.publish(records)
            except RecordRefusedError as refused:
                return _Sent(published=rows[:index], refused=Refusal(row, str(refused)))
        return _Sent(published=rows)

    async def _mark(self, session: AsyncSession, sent: _Sent) -> None:
        if sent.published:
            await session.execute(
                update(outbox)
                .where(outbox.c.id.in_([row.id for row in sent.published]))
                .values(published_at=datetime.now(UTC))
            )
            log.debug("outbox.published", count=len(sent.published))
        if sent.refused is not None:
            await parking.park(session, sent.refused)

    async def _reached(self, stage: str, count: int) -> None:
        if self._checkpoint is not None:
            await self._checkpoint(stage, count)

    async def run(self, stop: asyncio.Event) -> None:
        wake = outbox_signal.listen()
        pending = IdleProbe(
            self._database.engine,
            select(outbox.c.id)
            .where(outbox.c.published_at.is_(None), outbox.c.parked_at.is_(None))
            .limit(1),
        )
        try:
            await self._publish_until(stop, wake, pending)
        finally:
            outbox_signal.forget(wake)
            await pending.close()

    async def _publish_until(
        self, stop: asyncio.Event, wake: asyncio.Event, pending: IdleProbe
    ) -> None:
        writes = pending.writes()
        pause = self._idle_seconds
        woken = True
        quiet = 1  # looks in a row that found nothing (the first publishes what is there)
        while not stop.is_set():
            wake.clear()  # before looking, so a commit while we look wakes the next wait
            # Armed before the look that may find nothing for the second time (filewrites).
            armed = writes.arm() if writes is not None and quiet >= 1 else None
            with contextlib.ExitStack() as stack:
                if armed is not None:
                    stack.callback(armed.close)
                try:
                    await self._count_parked_now_and_then()
                    found = woken or await pending.value() is not None
                    published = found and await self.publish_pending()
                except Exception as exc:
                    log.warning(
                        "outbox.publish_failed",
                        error=repr(exc),
                        outage=outage_of(exc),
                        failures=self._backoff.failures + 1,
                    )
                    await self._backoff.wait(stop)
                    woken = True  # look again at once: the rows are still there
                    continue
                if self._backoff.succeeded():
                    log.info("outbox.publish_resumed")
                if published:
                    pause, woken, quiet = self._idle_seconds, True, 0
                    continue
                quiet += 1
                if armed is not None and quiet >= 2:
                    # Nothing since the last write: wait for the next, or this process's commit.
                    if await armed.written([wake, stop], self._look_anyway):
                        pause, quiet = min(self._idle_seconds, LOOK_AGAIN_AFTER_WRITE), 0
                    woken = wake.is_set()
                    continue
            woken = await until_any_set([wake, stop], pause)
            pause = self._idle_seconds if woken else min(pause * 2, self._max_idle_seconds)

    async def _count_parked_now_and_then(self) -> None:
        if time.monotonic() >= self._next_parked_count:
            await parking.count_parked(self._database)
            self._next_parked_count = time.monotonic() + PARKED_COUNT_SECONDS


def _record(row: Row[Any]) -> OutgoingRecord:
    return OutgoingRecord(
        topic=row.topic, key=row.key, value=row.payload.encode(), headers=row.headers
    )
