"""Runs a consumer group: a batch of events in one transaction with their inbox entries.

Offsets are committed only after the database transaction, so a crash redelivers; the inbox
drops the redelivery. When any event of a batch fails, the batch is rolled back and its events
are applied again one transaction each: the good ones once, and an event that keeps failing
is kept as a dead letter with the error, and the group moves on.

A dead letter is a row in the service's own `dead_letters` table (written before the offset is
committed, so a crash cannot lose it; a redelivery finds it there) and a copy on the group's
dead-letter topic for outside tooling. The table is what operators list and replay
(`servicekit.deadletters`): it is the same on Kafka and on the SQL log, and a replay can mark
its letter done in the transaction of its effect.

A dependency out of reach (`servicekit.outages`: the database down or locked, the bus away) is no
fault of the event: nothing is dead-lettered, `run` stops with the error without committing, and
the supervisor starts it again after a pause, from the group's committed position.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import structlog
from prometheus_client import Histogram
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.registry import parse_envelope
from servicekit import correlation
from servicekit.bus.api import EventBus, OutgoingRecord, Record
from servicekit.bus.factory import dead_letter_topic
from servicekit.db import Database
from servicekit.deadletters import store as dead_letters
from servicekit.messaging import inbox, outbox
from servicekit.metrics import CONSUMER_HANDLING, CONSUMER_LAG, DEAD_LETTERS
from servicekit.outages import outage_of
from servicekit.privacy import describe_error
from servicekit.tracing import Tracing

log = structlog.get_logger()
Handler = Callable[[AsyncSession, Envelope[Any]], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class _Event:
    record: Record
    envelope: Envelope[Any]
    handler: Handler


class EventConsumer:
    def __init__(
        self,
        *,
        group: str,
        topics: Sequence[str],
        handlers: Mapping[str, Handler],
        database: Database,
        bus: EventBus,
        max_attempts: int = 3,
        retry_seconds: float = 0.2,
        batch_size: int = 100,
        service: str = "service",
        tracing: Tracing | None = None,
    ) -> None:
        self.service = service
        self.group = group
        self.topics = list(topics)
        self._handlers = handlers
        self._database = database
        self._bus = bus
        self._max_attempts = max_attempts
        self._retry_seconds = retry_seconds
        self._batch_size = batch_size
        self._tracing = tracing or Tracing.off(service)
        self._handling: dict[str, Histogram] = {}

    async def run(self, stop: asyncio.Event) -> None:
        subscription = self._bus.subscribe(group=self.group, topics=self.topics)
        await subscription.start()
        try:
            while not stop.is_set():
                records = await subscription.fetch(max_records=self._batch_size, timeout=1.0)
                self._report_lag(subscription.lag())
                done = await self.process_batch(records, stop=stop)
                if done:
                    await subscription.commit(*_last_per_partition(records[:done]))
        finally:
            await subscription.close()

    async def process_batch(
        self, records: Sequence[Record], *, stop: asyncio.Event | None = None
    ) -> int:
        """Apply records at most once each; returns how many of the first records are done.

        Fewer than all only when `stop` is set while the batch is being applied one by one.
        """
        events: list[_Event] = []
        for record in records:
            event = await self._readable(record)
            if event is not None:
                events.append(event)
        if len(events) > 1:
            try:
                await self._apply_together(events)
                return len(records)
            except Exception as exc:
                if outage_of(exc) is not None:
                    raise
                log.warning(
                    "consumer.batch_failed", group=self.group, count=len(events), error=repr(exc)
                )
        for event in events:
            if stop is not None and stop.is_set():
                return records.index(event.record)
            await self._apply_alone(event)
        return len(records)

    async def process(self, record: Record) -> None:
        """Apply one record at most once; dead-letter it when it cannot be applied."""
        event = await self._readable(record)
        if event is not None:
            await self._apply_alone(event)

    async def _readable(self, record: Record) -> _Event | None:
        """The record's event with its handler; None when unreadable (dead-lettered) or not ours."""
        try:
            envelope = parse_envelope(record.value)
        except Exception as exc:
            await self._dead_letter(record, f"unreadable event: {describe_error(exc)}", None)
            return None
        handler = self._handlers.get(envelope.type)
        return None if handler is None else _Event(record, envelope, handler)

    async def _apply_together(self, events: Sequence[_Event]) -> None:
        async with self._database.transaction() as session:
            outbox.defer_writes(session)
            fresh = await inbox.claim_many(
                session, consumer=self.group, event_ids=[event.envelope.id for event in events]
            )
            applied: list[Envelope[Any]] = []
            timings: list[tuple[str, float]] = []
            for event in events:
                if event.envelope.id not in fresh:
                    self._log_duplicate(event.envelope)
                    continue
                fresh.discard(event.envelope.id)
                applied.append(event.envelope)
                correlation.bind(event.envelope.correlation_id)
                started = time.perf_counter()
                with self._tracing.consuming(event.record, group=self.group):
                    await event.handler(session, event.envelope)
                    # Each handler sees the database as if it had its own session: what the
                    # ones before it wrote, and no ORM object they left behind in the identity
                    # map.
                    await session.flush()
                session.expunge_all()
                timings.append((event.record.topic, time.perf_counter() - started))
            await outbox.write_deferred(session)
        for envelope in applied:
            self._log_applied(envelope)
        for topic, seconds in timings:
            self._observe_handling(topic, seconds)

    async def _apply_alone(self, event: _Event) -> None:
        envelope = event.envelope
        correlation.bind(envelope.correlation_id)
        last_error: Exception | None = None
        for attempt in range(1, self._max_attempts + 1):
            try:
                await self._apply(event)
                return
            except Exception as exc:
                if outage_of(exc) is not None:
                    raise
                last_error = exc
                log.warning(
                    "consumer.attempt_failed",
                    group=self.group,
                    event_id=str(envelope.id),
                    event_type=envelope.type,
                    attempt=attempt,
                    error=describe_error(exc),
                )
                await asyncio.sleep(self._retry_seconds * attempt)
        await self._dead_letter(
            event.record, describe_error(last_error) if last_error else "unknown error", envelope
        )

    async def _apply(self, event: _Event) -> None:
        envelope = event.envelope
        started = time.perf_counter()
        with self._tracing.consuming(event.record, group=self.group):
            async with self._database.transaction() as session:
                if not await inbox.claim(session, consumer=self.group, event_id=envelope.id):
                    self._log_duplicate(envelope)
                    return
                await event.handler(session, envelope)
        self._observe_handling(event.record.topic, time.perf_counter() - started)
        self._log_applied(envelope)

    def _observe_handling(self, topic: str, seconds: float) -> None:
        series = self._handling.get(topic)
        if series is None:  # `labels()` validates and locks on every call: once per topic
            series = self._handling[topic] = CONSUMER_HANDLING.labels(
                service=self.service, group=self.group, topic=topic
            )
        series.observe(seconds)

    def _report_lag(self, lag: Mapping[str, int]) -> None:
        for topic in self.topics:
            CONSUMER_LAG.labels(service=self.service, group=self.group, topic=topic).set(
                lag.get(topic, 0)
            )

    def _log_applied(self, envelope: Envelope[Any]) -> None:
        log.info(
            "consumer.event_applied",
            group=self.group,
            event_id=str(envelope.id),
            event_type=envelope.type,
        )

    def _log_duplicate(self, envelope: Envelope[Any]) -> None:
        log.info("consumer.duplicate_dropped", group=self.group, event_id=str(envelope.id))

    async def _dead_letter(
        self, record: Record, error: str, envelope: Envelope[Any] | None
    ) -> None:
        log.error("consumer.dead_lettered", group=self.group, topic=record.topic, error=error)
        async with self._database.transaction() as session:
            await dead_letters.keep(
                session,
                group=self.group,
                record=record,
                error=error,
                event_id=None if envelope is None else str(envelope.id),
                event_type=None if envelope is None else envelope.type,
            )
        headers = {
            **record.headers,
            "error": error[:2000],
            "original_topic": record.topic,
            "original_partition": str(record.partition),
            "original_offset": str(record.offset),
        }
        await self._bus.publish(
            [
                OutgoingRecord(
                    topic=dead_letter_topic(self.group),
                    key=record.key,
                    value=record.value,
                    headers=headers,
                )
            ]
        )
        DEAD_LETTERS.labels(service=self.service, group=self.group, topic=record.topic).inc()


def _last_per_partition(records: Sequence[Record]) -> list[Record]:
    last: dict[tuple[str, int], Record] = {}
    for record in records:
        last[(record.topic, record.partition)] = record
    return list(last.values())
