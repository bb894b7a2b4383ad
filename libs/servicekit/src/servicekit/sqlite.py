"""SQLite under asyncio: a process's writers take turns in the process, not in SQLite.

A write transaction starts with `BEGIN IMMEDIATE` (see `servicekit.db`). When several of one
process's transactions ask for the file's write lock at once, all but one wait in SQLite's busy
handler, which sleeps in growing steps (up to 100 ms) between attempts: a queue of 32 requests
then serves a few per second, whatever the CPU. So a write transaction first takes its turn
on an asyncio lock per file, first come first served, and asks SQLite only when its turn
comes; only another process (a CLI job) can still make it wait in the busy handler.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
import weakref
from typing import Any

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


class QueuedWriter:
    """An aiosqlite connection whose write transactions wait for their turn before `BEGIN`.

    The turn is held from `begin_write` until the transaction ends (commit, rollback, close).
    Everything else is aiosqlite's connection, as SQLAlchemy's aiosqlite dialect uses it.
    """

    def __init__(self, connection: Any, key: str, *, patience: float) -> None:
        self._wrapped = connection
        self._key = key
        self._patience = patience
        self._turn: asyncio.Lock | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapped, name)

    async def begin_write(self) -> None:
        """`BEGIN IMMEDIATE` once this process's writers before us are done."""
        await self._take_turn()
        try:
            await self._wrapped.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._end_turn()
            raise

    async def commit(self) -> None:
        try:
            await self._wrapped.commit()
        finally:
            self._end_turn()

    async def rollback(self) -> None:
        try:
            await self._wrapped.rollback()
        finally:
            self._end_turn()

    async def close(self) -> None:
        try:
            await self._wrapped.close()
        finally:
            self._end_turn()

    def stop(self) -> None:
        """Close now, without waiting (SQLAlchemy's forced termination of a connection)."""
        try:
            self._wrapped.stop()
        finally:
            self._end_turn()

    async def _take_turn(self) -> None:
        turn = write_turn(self._key)
        try:
            async with asyncio.timeout(self._patience):
                await turn.acquire()
        except TimeoutError:
            raise sqlite3.OperationalError(
                f"database is locked: no turn to write within {self._patience:g} s"
            ) from None
        self._turn = turn

    def _end_turn(self) -> None:
        turn, self._turn = self._turn, None
        if turn is not None:
            turn.release()
