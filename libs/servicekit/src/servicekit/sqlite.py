"""SQLite for a service's writes: turns taken in the process, statements run on the event loop.

**Turns.** A write transaction starts with `BEGIN IMMEDIATE` (see `servicekit.db`). When several
of one process's transactions ask SQLite for the file's write lock at once, all but one wait in
SQLite's busy handler, which sleeps in growing steps (up to 100 ms) between attempts: a queue of
32 requests then serves a few per second, whatever the CPU. So a write transaction first takes
its turn on an asyncio lock per file, first come first served, and asks SQLite only when its
turn comes. Only another process (a CLI job) can still hold the lock; then `BEGIN` is retried
with asyncio sleeps for as long as the busy timeout allows.

**Inline.** aiosqlite runs every call on a helper thread, so each statement of a transaction
waits for that thread and then for the event loop to come round again, while the transaction
holds the write lock; under load a transaction of eight statements holds it for eight turns of
the loop. `InlineConnection` calls sqlite3 directly on the event loop instead: once the lock is
held a statement takes microseconds, and a transaction without other awaits runs through
without letting anything else in. It has the shape SQLAlchemy's aiosqlite dialect expects of an
aiosqlite connection, and is handed to it with `async_creator`. Its busy timeout is zero:
SQLite never sleeps on the loop; a busy answer is retried with asyncio sleeps where a retry is
safe (`BEGIN`, a statement outside a transaction, the first statement after `BEGIN`) and raised
elsewhere. A long statement does hold up the loop: reads that may be long go through the
threaded engine (`Database.reading`).
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import urllib.parse
import weakref
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")

FIRST_RETRY_SECONDS = 0.001
LAST_RETRY_SECONDS = 0.025

_Turns = dict[str, asyncio.Lock]
_turns_per_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Turns] = (
    weakref.WeakKeyDictionary()
)


def file_key(database: str) -> str | None:
    """The file a database path names, as the writers' turns are kept; None for in-memory."""
    if database in ("", ":memory:") or database.startswith("file::memory:"):
        return None
    return os.path.realpath(database)


def write_turn(key: str) -> asyncio.Lock:
    """The lock this event loop's writers of the file `key` take in turn."""
    turns = _turns_per_loop.setdefault(asyncio.get_running_loop(), {})
    return turns.setdefault(key, asyncio.Lock())


async def check_writable(path: str, *, patience: float) -> None:
    """Raise `sqlite3.OperationalError` unless a write to the existing file `path` could begin
    within `patience` seconds. Reading tells less: with WAL a file stays readable while another
    process holds its write lock. A connection of its own on a helper thread: nothing of the
    service's pools or event loop waits for the answer."""

    def probe() -> None:
        uri = f"file:{urllib.parse.quote(path)}?mode=rw"
        connection = sqlite3.connect(uri, uri=True, timeout=patience, isolation_level=None)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    await asyncio.to_thread(probe)


def _is_busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY


class InlineConnection:
    """A sqlite3 connection behind the awaitable interface of an aiosqlite one."""

    def __init__(self, connection: sqlite3.Connection, key: str, *, patience: float) -> None:
        self._db: sqlite3.Connection | None = connection
        self._key = key
        self._patience = patience
        self._turn: asyncio.Lock | None = None
        self._just_begun = False
        self._tx = _RunNow()

    @classmethod
    async def open(cls, path: str, *, patience: float) -> InlineConnection:
        """A connection to the file `path`; `patience`: seconds a busy file is waited for."""
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=0)
        return cls(connection, file_key(path) or path, patience=patience)

    @property
    def _conn(self) -> sqlite3.Connection:
        """The sqlite3 connection (SQLAlchemy's dialect sets `isolation_level` on it)."""
        if self._db is None:
            raise ValueError("no active connection")
        return self._db

    @property
    def _connection(self) -> sqlite3.Connection | None:
        """None once closed, as aiosqlite's (SQLAlchemy's dialect looks)."""
        return self._db

    @property
    def isolation_level(self) -> str | None:
        return self._conn.isolation_level

    @property
    def in_transaction(self) -> bool:
        return self._db is not None and self._db.in_transaction

    def cursor(self) -> InlineCursor:
        return InlineCursor(self, self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> InlineCursor:
        cursor = self.cursor()
        await cursor.execute(sql, parameters)
        return cursor

    async def begin_write(self) -> None:
        """`BEGIN IMMEDIATE`, once this process's writers before us are done."""
        turn = write_turn(self._key)
        try:
            async with asyncio.timeout(self._patience):
                await turn.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError(
                f"database is locked: no turn to write within {self._patience:g} s"
            ) from None
        self._turn = turn
        try:
            await self.run(lambda: self._conn.execute("BEGIN IMMEDIATE"))
        except BaseException:
            self._end_turn()
            raise

    async def commit(self) -> None:
        try:
            await self.run(self._conn.commit)
        finally:
            self._end_turn()

    async def rollback(self) -> None:
        try:
            self._conn.rollback()
        finally:
            self._end_turn()

    async def close(self) -> None:
        self.stop()

    def stop(self) -> None:
        """Close now (SQLAlchemy's forced termination)."""
        db, self._db = self._db, None
        try:
            if db is not None:
                db.close()
        finally:
            self._end_turn()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._conn.create_function(*args, **kwargs)

    async def run(self, call: Callable[[], T]) -> T:
        """`call` now; when SQLite answers busy where a retry is safe, again after a pause."""
        pause, deadline = FIRST_RETRY_SECONDS, None
        loop = asyncio.get_running_loop()
        while True:
            may_retry = self._just_begun or not self.in_transaction
            try:
                result = call()
            except sqlite3.OperationalError as error:
                if not (_is_busy(error) and may_retry):
                    self._after_statement()
                    raise
                now = loop.time()
                deadline = deadline if deadline is not None else now + self._patience
                if now >= deadline:
                    raise
                await asyncio.sleep(min(pause, deadline - now))
                pause = min(pause * 2, LAST_RETRY_SECONDS)
                continue
            self._after_statement()
            return result

    def _after_statement(self) -> None:
        self._just_begun = False
        if self._turn is not None and not self.in_transaction:
            self._end_turn()  # ended by the statement itself (COMMIT, ROLLBACK, an error)

    def _began(self) -> None:
        self._just_begun = True

    def _end_turn(self) -> None:
        turn, self._turn = self._turn, None
        if turn is not None:
            turn.release()


class InlineCursor:
    """A sqlite3 cursor behind the awaitable interface of an aiosqlite one."""

    def __init__(self, connection: InlineConnection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    async def __aenter__(self) -> InlineCursor:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._cursor.close()

    async def execute(self, sql: str, parameters: Any = ()) -> InlineCursor:
        connection = self._connection
        await connection.run(lambda: self._cursor.execute(sql, parameters))
        if sql[:5].upper() == "BEGIN":
            connection._began()
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InlineCursor:
        rows = list(parameters)  # a retry must see every row again
        await self._connection.run(lambda: self._cursor.executemany(sql, rows))
        return self

    async def fetchone(self) -> Any:
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    async def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    async def close(self) -> None:
        self._cursor.close()

    async def __aiter__(self) -> AsyncIterator[Any]:
        while rows := self._cursor.fetchmany(self._cursor.arraysize):
            for row in rows:
                yield row

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value


class _RunNow:
    """Stands in for aiosqlite's queue to its thread, which SQLAlchemy's dialect uses to set
    `isolation_level`: the call runs at once, here on the event loop."""

    def put_nowait(self, item: tuple[asyncio.Future[Any], Callable[[], Any]]) -> None:
        future, function = item
        try:
            future.set_result(function())
        except Exception as error:
            future.set_exception(error)
