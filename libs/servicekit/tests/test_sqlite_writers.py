"""SQLite under one process's concurrent writers: they take turns in arrival order, readers
never wait for them, and a writer of another process is waited for, not failed."""

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from servicekit.db import Database


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'writers.db'}")
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE entries (id INTEGER PRIMARY KEY, n INTEGER)"))
    yield database
    await database.dispose()


async def _count(database: Database) -> int:
    async with database.reading() as session:
        return int((await session.execute(text("SELECT count(*) FROM entries"))).scalar_one())


async def test_concurrent_writers_all_commit(database: Database) -> None:
    served: list[int] = []

    async def write(n: int) -> None:
        async with database.transaction() as session:
            seen = (await session.execute(text("SELECT count(*) FROM entries"))).scalar_one()
            served.append(n)
            await asyncio.sleep(0)  # the request's other work: another writer may ask meanwhile
            await session.execute(
                text("INSERT INTO entries (id, n) VALUES (:id, :n)"), {"id": seen + 1, "n": n}
            )

    await asyncio.gather(*(write(n) for n in range(60)))

    assert sorted(served) == list(range(60))
    assert await _count(database) == 60


async def test_a_reader_does_not_wait_for_a_writer(database: Database) -> None:
    writing, may_commit = asyncio.Event(), asyncio.Event()

    async def long_write() -> None:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO entries (n) VALUES (1)"))
            writing.set()
            await may_commit.wait()

    writer = asyncio.create_task(long_write())
    await writing.wait()
    counted_meanwhile = await asyncio.wait_for(_count(database), timeout=10)
    may_commit.set()
    await writer

    assert counted_meanwhile == 0
    assert await _count(database) == 1


async def test_a_writer_of_another_process_is_waited_for(database: Database) -> None:
    """Another process (a CLI job) holding the write lock: our writer waits, then commits."""
    assert database.url.startswith("sqlite")
    other_has_lock, release = threading.Event(), threading.Event()

    def other_process() -> None:
        import sqlite3

        path = database.url.removeprefix("sqlite+aiosqlite:///")
        connection = sqlite3.connect(path, isolation_level=None)
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO entries (n) VALUES (7)")
        other_has_lock.set()
        release.wait(timeout=30)
        connection.execute("COMMIT")
        connection.close()

    other = threading.Thread(target=other_process)
    other.start()
    await asyncio.to_thread(other_has_lock.wait, 30)

    async def write() -> None:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO entries (n) VALUES (8)"))

    ours = asyncio.create_task(write())
    await asyncio.sleep(0.2)
    assert not ours.done()
    release.set()
    await ours
    await asyncio.to_thread(other.join)

    assert await _count(database) == 2


async def test_a_writer_cancelled_mid_transaction_does_not_hold_up_the_next(
    database: Database,
) -> None:
    """A request that goes away (client gone, timeout) hands its turn on when it is cancelled."""
    writing = asyncio.Event()

    async def abandoned_write() -> None:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO entries (n) VALUES (1)"))
            writing.set()
            await asyncio.Event().wait()

    abandoned = asyncio.create_task(abandoned_write())
    await writing.wait()
    abandoned.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await abandoned

    async def write() -> None:
        async with database.transaction() as session:
            await session.execute(text("INSERT INTO entries (n) VALUES (2)"))

    await asyncio.wait_for(write(), timeout=20)

    assert await _count(database) == 1
