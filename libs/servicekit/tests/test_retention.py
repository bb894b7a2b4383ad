"""Retention deletes what nobody needs any more and keeps what a consumer still needs."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Literal

import pytest
from sqlalchemy import select

from servicekit.bus.api import OutgoingRecord, Record
from servicekit.bus.sqlengine import create_log_engine
from servicekit.bus.sqllog import SqlLogBus
from servicekit.db import Database
from servicekit.messaging.tables import dead_letters, inbox, metadata, outbox
from servicekit.retention import Windows, prune_event_log, prune_service_tables, retention_job
from servicekit.scheduling import metadata as scheduling_metadata
from servicekit.settings import ServiceSettings
from servicekit.testing import postgres_database

Engine = Literal["sqlite", "postgres"]
ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
WINDOWS = Windows(
    outbox=timedelta(days=7),
    inbox=timedelta(days=30),
    dead_letters=timedelta(days=90),
    event_log=timedelta(days=7),
)


@asynccontextmanager
async def database_url(engine: Engine, workdir: Path) -> AsyncIterator[str]:
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'service.db'}"
    else:
        async with postgres_database("retention") as url:
            yield url


def outbox_row(name: str, *, created: datetime, published: datetime | None, parked: bool) -> dict:
    return {
        "event_id": str(uuid.uuid4()),
        "topic": "mediprima.test",
        "key": name,
        "payload": "{}",
        "headers": {},
        "created_at": created,
        "published_at": published,
        "parked_at": created if parked else None,
        "park_reason": "too large" if parked else None,
    }


def letter_row(offset: int, *, replayed: datetime | None) -> dict:
    return {
        "consumer_group": "g",
        "topic": "mediprima.test",
        "partition": 0,
        "offset": offset,
        "key": "k",
        "value": b"{}",
        "headers": {},
        "error": "boom",
        "dead_lettered_at": NOW - timedelta(days=400),
        "replay_attempts": 0 if replayed is None else 1,
        "replayed_at": replayed,
    }


@pytest.mark.parametrize("engine", ENGINES)
async def test_prune_deletes_old_published_outbox_rows_old_inbox_entries_and_old_replayed_letters(
    engine: Engine, tmp_path: Path
) -> None:
    async with database_url(engine, tmp_path) as url:
        database = Database(url)
        try:
            async with database.engine.begin() as connection:
                await connection.run_sync(metadata.create_all)
            old, recent = NOW - timedelta(days=8), NOW - timedelta(days=6)
            async with database.transaction() as session:
                await session.execute(
                    outbox.insert(),
                    [
                        *(
                            outbox_row(f"sent-old-{i}", created=old, published=old, parked=False)
                            for i in range(5)
                        ),
                        outbox_row("sent-recent", created=recent, published=recent, parked=False),
                        outbox_row("unsent-old", created=old, published=None, parked=False),
                        outbox_row("parked-old", created=old, published=None, parked=True),
                    ],
                )
                await session.execute(
                    inbox.insert(),
                    [
                        *(
                            {
                                "consumer": "g",
                                "event_id": f"old-{i}",
                                "processed_at": NOW - timedelta(days=31),
                            }
                            for i in range(3)
                        ),
                        {
                            "consumer": "g",
                            "event_id": "recent",
                            "processed_at": NOW - timedelta(days=29),
                        },
                    ],
                )
                await session.execute(
                    dead_letters.insert(),
                    [
                        letter_row(1, replayed=NOW - timedelta(days=91)),
                        letter_row(2, replayed=NOW - timedelta(days=89)),
                        letter_row(3, replayed=None),
                    ],
                )

            pruned = await prune_service_tables(database, WINDOWS, now=NOW, batch=2)

            assert pruned.as_dict() == {"outbox": 5, "inbox": 3, "dead_letters": 1, "event_log": 0}
            async with database.reading() as session:
                assert sorted(await session.scalars(select(outbox.c.key))) == [
                    "parked-old",
                    "sent-recent",
                    "unsent-old",
                ]
                assert list(await session.scalars(select(inbox.c.event_id))) == ["recent"]
                assert sorted(await session.scalars(select(dead_letters.c.offset))) == [2, 3]
        finally:
            await database.dispose()


async def read_all(bus: SqlLogBus, group: str, topic: str, expected: int) -> list[Record]:
    subscription = bus.subscribe(group=group, topics=[topic])
    await subscription.start()
    records: list[Record] = []
    try:
        for _ in range(50):
            records += await subscription.fetch(timeout=0.2)
            if len(records) >= expected:
                break
    finally:
        await subscription.close()
    return records


async def commit_up_to(bus: SqlLogBus, group: str, topic: str, last: int) -> None:
    """`group` has handled the records of offset 0 to `last`."""
    subscription = bus.subscribe(group=group, topics=[topic])
    await subscription.start()
    try:
        records: list[Record] = []
        for _ in range(50):
            records += await subscription.fetch(timeout=0.2)
            if len(records) > last:
                break
        await subscription.commit(records[last])
    finally:
        await subscription.close()


@pytest.mark.parametrize("engine", ENGINES)
async def test_the_event_log_keeps_every_record_a_lagging_group_has_still_to_read(
    engine: Engine, tmp_path: Path
) -> None:
    async with database_url(engine, tmp_path) as url:
        bus = SqlLogBus(url, partitions=1, heartbeat_interval=0.5, session_timeout=2.0)
        await bus.start()
        log_engine = create_log_engine(url, busy_timeout_ms=30_000)
        try:
            read, unread = f"t{uuid.uuid4().hex[:6]}.read", f"t{uuid.uuid4().hex[:6]}.unread"
            await bus.create_topics([read, unread])
            await bus.publish(
                [
                    OutgoingRecord(topic, "k", f"{n}".encode())
                    for topic in (read, unread)
                    for n in range(10)
                ]
            )
            await commit_up_to(bus, "fast", read, 9)
            await commit_up_to(bus, "lagging", read, 3)

            # Young records stay, whoever has read them.
            assert (
                await prune_event_log(
                    log_engine, [read, unread], WINDOWS.event_log, now=datetime.now(UTC)
                )
                == 0
            )
            later = datetime.now(UTC) + timedelta(days=8)
            deleted = await prune_event_log(
                log_engine, [read, unread], WINDOWS.event_log, now=later, batch=3
            )

            assert deleted == 4  # offsets 0..3 of `read`, which both groups have handled
            lagging = await read_all(bus, "lagging", read, expected=6)
            assert [record.offset for record in lagging] == [4, 5, 6, 7, 8, 9]
            # No group has read `unread` yet: its reader may still be starting, so all stays.
            assert len(await read_all(bus, "first-reader", unread, expected=10)) == 10
        finally:
            await log_engine.dispose()
            await bus.close()


async def test_the_nightly_slot_prunes_once_however_many_instances_wake_for_it(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'service.db'}"
    database = Database(url)
    try:
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
            await connection.run_sync(scheduling_metadata.create_all)
        old = NOW - timedelta(days=8)
        async with database.transaction() as session:
            await session.execute(
                outbox.insert(), [outbox_row("sent-old", created=old, published=old, parked=False)]
            )
        # The service's settings: nightly at 03:17 UTC, on Kafka (no event log to prune here).
        settings = ServiceSettings(var_dir=tmp_path, database_url=url, bus="kafka")
        instances = [retention_job(settings, database, [], clock=lambda: NOW) for _ in range(2)]
        await instances[0].lease.register(NOW - timedelta(days=1))

        ran = [await instance.run_due() for instance in instances]

        assert ran == [True, False]
        async with database.reading() as session:
            assert list(await session.scalars(select(outbox.c.key))) == []
    finally:
        await database.dispose()
