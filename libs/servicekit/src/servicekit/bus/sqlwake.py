"""Tells a process's subscriptions when the event log may hold new records, so none polls it.

Appends by this process announce themselves. Appends by other processes are noticed on
PostgreSQL by LISTEN/NOTIFY (every append transaction notifies `CHANNEL` as it commits), and on
SQLite by one cheap query per process (`servicekit.probe`: the sum of the partitions' next
offsets, which grows with every append and with nothing else) that runs every `fastest`
seconds while the log is busy and slows down to every `slowest` seconds while it is idle. Where
the log's file can be watched (`servicekit.filewrites`), an idle process stops querying until
the file is written. On PostgreSQL the same query runs every `slowest` seconds, a safety net
for a lost connection.

A subscription remembers the `generation` it last read at and reads again only once it moved.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import structlog
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from servicekit.bus import sqltables as t
from servicekit.filewrites import LOOK_AGAIN_AFTER_WRITE, LOOK_ANYWAY_SECONDS
from servicekit.probe import IdleProbe

log = structlog.get_logger()
CHANNEL = "mediprima_bus_log"
_APPENDED_SO_FAR = select(func.coalesce(func.sum(t.partitions.c.next_offset), 0))


async def announce_append(conn: AsyncConnection) -> None:
    """Within an append's transaction: wake other processes' subscriptions when it commits."""
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_notify(:channel, '')"), {"channel": CHANNEL})


class LogWakeups:
    def __init__(
        self,
        reader: AsyncEngine,
        *,
        fastest: float,
        slowest: float,
        look_anyway: float = LOOK_ANYWAY_SECONDS,
    ) -> None:
        self._reader = reader
        self._fastest = fastest
        self._slowest = max(slowest, fastest)
        self._look_anyway = look_anyway
        self._listens = reader.dialect.name == "postgresql"
        self.generation = 0
        self._moved = asyncio.Event()
        self._watching: asyncio.Task[None] | None = None
        self._closing = asyncio.Event()

    def appended(self) -> None:
        """Something may have been appended (or the reader's partitions changed): read again."""
        self.generation += 1
        self._moved.set()
        self._moved = asyncio.Event()

    async def wait(self, seen: int, timeout: float) -> None:
        """Until the generation moves past `seen`, or `timeout` seconds."""
        if self.generation != seen or timeout <= 0:
            return
        if self._watching is None:
            self._closing.clear()
            self._watching = asyncio.create_task(self._watch(), name="bus-log-wakeups")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._moved.wait(), timeout)

    async def close(self) -> None:
        if self._watching is None:
            return
        # Between queries rather than cancelled inside one: see SqlLogSubscription.close.
        self._closing.set()
        await self._watching
        self._watching = None

    async def _watch(self) -> None:
        async with contextlib.AsyncExitStack() as stack:
            if self._listens:
                await self._listen(stack)
            probe = IdleProbe(self._reader, _APPENDED_SO_FAR)
            stack.push_async_callback(probe.close)
            writes = None if self._listens else probe.writes()
            interval = self._slowest if self._listens else self._fastest
            last: int | None = None
            looked = False
            quiet = 1  # looks in a row that found nothing new (the subscription's own read too)
            while not self._closing.is_set():
                # Armed before the look that may find nothing for the second time, so a write
                # after that look is not missed.
                armed = writes.arm() if writes is not None and quiet >= 1 else None
                with contextlib.ExitStack() as watching:
                    if armed is not None:
                        watching.callback(armed.close)
                    try:
                        total = int(await probe.value())
                    except Exception:  # the next read will say more; meanwhile read as if moved
                        log.warning("bus.wakeup_check_failed", exc_info=True)
                        total = None
                    moved = total is None or (looked and total != last)
                    if moved or not looked:  # the first look: whatever came before it
                        self.appended()
                    if moved:
                        interval = self._slowest if self._listens else self._fastest
                        quiet = 0
                    else:
                        interval = min(interval * 2, self._slowest)
                        quiet += 1
                    last, looked = total, True
                    if armed is not None and quiet >= 2:
                        # Looked twice since the last write (the second for a commit not yet
                        # visible at the first): nothing to do until the file is written.
                        if await armed.written([self._closing], self._look_anyway):
                            interval, quiet = min(self._fastest, LOOK_AGAIN_AFTER_WRITE), 0
                        continue
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), interval)

    async def _listen(self, stack: contextlib.AsyncExitStack) -> None:
        try:
            conn = await stack.enter_async_context(self._reader.connect())
            driver: Any = (await conn.get_raw_connection()).driver_connection
            await driver.add_listener(CHANNEL, self._notified)
            stack.push_async_callback(_stop_listening, driver, self._notified)
        except Exception:  # polling every `slowest` seconds still finds every append
            log.warning("bus.listen_failed", exc_info=True)

    def _notified(self, *_args: object) -> None:
        self.appended()


async def _stop_listening(driver: Any, callback: Any) -> None:
    with contextlib.suppress(Exception):  # a dead connection has stopped listening anyway
        await driver.remove_listener(CHANNEL, callback)
