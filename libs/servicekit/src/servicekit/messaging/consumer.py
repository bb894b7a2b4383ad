"""Runs a consumer group: each event in its own transaction with its inbox entry, then commits.

Offsets are committed only after the database transaction, so a crash redelivers; the inbox
drops the redelivery. An event that keeps failing goes to the group's dead-letter topic with
the error, and the group moves on.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from mediprima_contracts.registry import parse_envelope
from servicekit import correlation
from servicekit.bus.api import EventBus, OutgoingRecord, Record
from servicekit.bus.factory import dead_letter_topic
from servicekit.db import Database
from servicekit.messaging import inbox

log = structlog.get_logger()
Handler = Callable[[AsyncSession, Envelope[Any]], Awaitable[None]]


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
    ) -> None:
        self.group = group
        self.topics = list(topics)
        self._handlers = handlers
        self._database = database
        self._bus = bus
        self._max_attempts = max_attempts
        self._retry_seconds = retry_seconds

    async def run(self, stop: asyncio.Event) -> None:
        subscription = self._bus.subscribe(group=self.group, topics=self.topics)
        await subscription.start()
        try:
            while not stop.is_set():
                records = await subscription.fetch(max_records=100, timeout=0.5)
                processed = []
                for record in records:
                    if stop.is_set():
                        break
                    await self.process(record)
                    processed.append(record)
                for record in _last_per_partition(processed):
                    await subscription.commit(record)
        finally:
            await subscription.close()

    async def process(self, record: Record) -> None:
        """Apply one record at most once; dead-letter it when it cannot be applied."""
        try:
            envelope = parse_envelope(record.value)
        except Exception as exc:
            await self._dead_letter(record, f"unreadable event: {exc!r}")
            return
        handler = self._handlers.get(envelope.type)
        if handler is None:
            return
        correlation.bind(envelope.correlation_id)
        last_error: Exception | None = None
        for attempt in range(1, self._max_attempts + 1):
            try:
                await self._apply(handler, envelope)
                return
            except Exception as exc:
                last_error = exc
                log.warning(
                    "consumer.attempt_failed",
                    group=self.group,
                    event_id=str(envelope.id),
                    event_type=envelope.type,
                    attempt=attempt,
                    error=repr(exc),
                )
                await asyncio.sleep(self._retry_seconds * attempt)
        await self._dead_letter(record, repr(last_error))

    async def _apply(self, handler: Handler, envelope: Envelope[Any]) -> None:
        async with self._database.transaction() as session:
            if not await inbox.claim(session, consumer=self.group, event_id=envelope.id):
                log.info("consumer.duplicate_dropped", group=self.group, event_id=str(envelope.id))
                return
            await handler(session, envelope)
        log.info(
            "consumer.event_applied",
            group=self.group,
            event_id=str(envelope.id),
            event_type=envelope.type,
        )

    async def _dead_letter(self, record: Record, error: str) -> None:
        log.error("consumer.dead_lettered", group=self.group, topic=record.topic, error=error)
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


def _last_per_partition(records: Sequence[Record]) -> list[Record]:
    last: dict[tuple[str, int], Record] = {}
    for record in records:
        last[(record.topic, record.partition)] = record
    return list(last.values())
