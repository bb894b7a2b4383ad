"""A bus seen through a name prefix, so environments (or test runs) can share one broker."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from servicekit.bus.api import EventBus, OutgoingRecord, Record, Subscription


class NamespacedBus:
    def __init__(self, inner: EventBus, prefix: str) -> None:
        self._inner = inner
        self._prefix = prefix

    async def start(self) -> None:
        await self._inner.start()

    async def close(self) -> None:
        await self._inner.close()

    async def ping(self) -> None:
        await self._inner.ping()

    async def create_topics(self, topics: Sequence[str]) -> None:
        await self._inner.create_topics([self._prefix + topic for topic in topics])

    async def publish(self, records: Sequence[OutgoingRecord]) -> None:
        await self._inner.publish(
            [replace(record, topic=self._prefix + record.topic) for record in records]
        )

    def subscribe(self, *, group: str, topics: Sequence[str]) -> Subscription:
        inner = self._inner.subscribe(
            group=self._prefix + group, topics=[self._prefix + topic for topic in topics]
        )
        return _NamespacedSubscription(inner, self._prefix)


class _NamespacedSubscription:
    def __init__(self, inner: Subscription, prefix: str) -> None:
        self._inner = inner
        self._prefix = prefix

    async def start(self) -> None:
        await self._inner.start()

    async def close(self) -> None:
        await self._inner.close()

    async def fetch(self, *, max_records: int = 100, timeout: float = 1.0) -> list[Record]:
        records = await self._inner.fetch(max_records=max_records, timeout=timeout)
        return [
            replace(record, topic=record.topic.removeprefix(self._prefix)) for record in records
        ]

    def lag(self) -> dict[str, int]:
        return {
            topic.removeprefix(self._prefix): count for topic, count in self._inner.lag().items()
        }

    async def commit(self, *records: Record) -> None:
        await self._inner.commit(
            *(replace(record, topic=self._prefix + record.topic) for record in records)
        )
