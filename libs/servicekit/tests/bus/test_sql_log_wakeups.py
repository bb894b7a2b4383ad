"""The SQL event log wakes a waiting subscription when a record is appended; it does not poll.

The buses here check the log by themselves only once an hour, and a fetch waits up to a
minute: a record arrives within that fetch only because its append woke the subscription.
"""

from __future__ import annotations

import asyncio

import pytest

from servicekit.bus.api import OutgoingRecord
from servicekit.filewrites import DatabaseWrites

from .support import SQL_BACKENDS, BusMaker, started, unique

NEVER = {"poll_interval": 3600.0, "idle_poll_interval": 3600.0, "look_anyway_interval": 3600.0}
SETTLE = 0.5  # lets the fetch find the log empty and start waiting; nothing is timed


@pytest.mark.parametrize("backend", SQL_BACKENDS)
async def test_an_append_by_the_same_bus_wakes_a_waiting_fetch(make_bus: BusMaker) -> None:
    bus = await make_bus(**NEVER)
    topic = unique("wake-same")
    await bus.create_topics([topic])
    subscription = await started(bus, group=unique("g"), topics=[topic])
    waiting = asyncio.create_task(subscription.fetch(timeout=60.0))
    await asyncio.sleep(SETTLE)

    await bus.publish([OutgoingRecord(topic, "k", b"hello")])

    assert [record.value for record in await waiting] == [b"hello"]
    await subscription.close()


@pytest.mark.parametrize("backend", [SQL_BACKENDS[1]])
async def test_postgres_wakes_a_fetch_waiting_in_another_process(make_bus: BusMaker) -> None:
    """Another bus on the same database stands for another process: only NOTIFY reaches it."""
    consumer_side, producer_side = await make_bus(**NEVER), await make_bus(**NEVER)
    topic = unique("wake-other")
    await producer_side.create_topics([topic])
    subscription = await started(consumer_side, group=unique("g"), topics=[topic])
    waiting = asyncio.create_task(subscription.fetch(timeout=60.0))
    await asyncio.sleep(SETTLE)

    await producer_side.publish([OutgoingRecord(topic, "k", b"from afar")])

    assert [record.value for record in await waiting] == [b"from afar"]
    await subscription.close()


@pytest.mark.parametrize("backend", [SQL_BACKENDS[0]])
async def test_sqlite_wakes_a_fetch_waiting_in_another_process_when_the_file_is_written(
    make_bus: BusMaker,
) -> None:
    """Another bus on the same file stands for another process: only the write to the file,
    watched by inotify, reaches it."""
    consumer_side, producer_side = await make_bus(**NEVER), await make_bus(**NEVER)
    topic = unique("wake-file")
    await producer_side.create_topics([topic])
    subscription = await started(consumer_side, group=unique("g"), topics=[topic])
    waiting = asyncio.create_task(subscription.fetch(timeout=60.0))
    await asyncio.sleep(SETTLE)

    await producer_side.publish([OutgoingRecord(topic, "k", b"written")])

    assert [record.value for record in await waiting] == [b"written"]
    await subscription.close()


@pytest.mark.parametrize("backend", [SQL_BACKENDS[0]])
@pytest.mark.parametrize("unwatched", ["no inotify", "no watch left"])
async def test_sqlite_notices_another_process_append_by_its_cheap_check(
    make_bus: BusMaker, monkeypatch: pytest.MonkeyPatch, unwatched: str
) -> None:
    """Where the file cannot be watched, the check, fast while busy, finds it."""
    if unwatched == "no inotify":
        monkeypatch.setattr(DatabaseWrites, "watch", classmethod(lambda _cls, _database: None))
    else:
        monkeypatch.setattr(DatabaseWrites, "arm", lambda _self: None)
    quick = {"poll_interval": 0.01, "idle_poll_interval": 0.05}
    consumer_side, producer_side = await make_bus(**quick), await make_bus(**NEVER)
    topic = unique("wake-sqlite")
    await producer_side.create_topics([topic])
    subscription = await started(consumer_side, group=unique("g"), topics=[topic])
    waiting = asyncio.create_task(subscription.fetch(timeout=60.0))
    await asyncio.sleep(SETTLE)

    await producer_side.publish([OutgoingRecord(topic, "k", b"next door")])

    assert [record.value for record in await waiting] == [b"next door"]
    await subscription.close()
