"""Helpers of the bus battery: test-speed buses and the loops that drain a subscription."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Literal, Protocol

import pytest

from servicekit.bus.api import Record, Subscription
from servicekit.bus.kafka import KafkaBus
from servicekit.bus.kafka_security import KafkaSecurity
from servicekit.bus.sqllog import SqlLogBus

Backend = Literal["sqlite", "postgres", "kafka"]
TestBus = SqlLogBus | KafkaBus
BusMaker = Callable[..., Awaitable[TestBus]]

ALL_BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    pytest.param("kafka", id="kafka", marks=pytest.mark.kafka),
]
SQL_BACKENDS = ALL_BACKENDS[:2]

# Seconds. Kafka's broker refuses sessions under group.min.session.timeout.ms (6 s by default).
SQL_TIMING = {"session_timeout": 3.0, "heartbeat_interval": 0.2, "poll_interval": 0.02}
KAFKA_TIMING = {"session_timeout_ms": 6_000, "heartbeat_interval_ms": 200}


class Assigned(Protocol):
    def assignment(self) -> frozenset[tuple[str, int]]: ...


def make_test_bus(backend: Backend, address: str, **overrides: Any) -> TestBus:
    if backend == "kafka":
        # as the MEDIPRIMA_KAFKA_* user `make test` sets (admin: the battery's names are random)
        options = {"partitions": 3, "security": KafkaSecurity(), **KAFKA_TIMING, **overrides}
        return KafkaBus(address, **options)
    return SqlLogBus(address, **{"partitions": 3, **SQL_TIMING, **overrides})


def unique(purpose: str) -> str:
    """A topic or group name no other test (or earlier run on the same broker) uses."""
    return f"test.{purpose}.{uuid.uuid4().hex[:10]}"


async def started(bus: TestBus, *, group: str, topics: Sequence[str]) -> Subscription:
    subscription = bus.subscribe(group=group, topics=topics)
    await subscription.start()
    return subscription


async def drain(
    subscription: Subscription, count: int, *, commit: bool = True, timeout: float = 20.0
) -> list[Record]:
    """Fetch until `count` records arrived (fails after `timeout` seconds with what came)."""
    received: list[Record] = []
    async with asyncio.timeout(timeout):
        while len(received) < count:
            batch = await subscription.fetch(max_records=100, timeout=0.2)
            received.extend(batch)
            if commit:
                await commit_all(subscription, batch)
    return received


async def commit_all(subscription: Subscription, records: Sequence[Record]) -> None:
    last: dict[tuple[str, int], Record] = {}
    for record in records:
        last[(record.topic, record.partition)] = record
    for record in last.values():
        await subscription.commit(record)


async def nothing_more(subscription: Subscription, wait: float = 0.5) -> list[Record]:
    """What arrives within `wait` seconds when nothing should."""
    return await subscription.fetch(max_records=100, timeout=wait)


async def wait_until(condition: Callable[[], bool], *, timeout: float = 20.0) -> None:
    """Poll state that a background task (heartbeat, group coordinator) changes."""
    async with asyncio.timeout(timeout):
        while not condition():  # noqa: ASYNC110 - no event to wait on: the state is the bus's
            await asyncio.sleep(0.05)


def assignment(subscription: Subscription) -> frozenset[tuple[str, int]]:
    """The partitions a member reads (both backends' subscriptions tell; the Protocol doesn't)."""
    assigned: Assigned = subscription  # type: ignore[assignment]
    return assigned.assignment()
