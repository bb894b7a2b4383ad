"""Tells an idle loop that an SQLite database file was written, by any process, so it need not
poll while nothing happens (Linux inotify, read on the event loop: no thread, no timer).

A loop arms a watch (`DatabaseWrites.arm`) just before the look that finds nothing new for the
second time, and waits on it only then: while the loop is busy nothing is watched, so a busy
database costs the loops that watch it nothing. A write says "look again", not what changed.
SQLite appends a commit to the write-ahead log a moment before readers can see it, so a loop
that finds nothing right after a write looks once more shortly after. Without inotify (another
system, a database that is not a file, no watch left) `DatabaseWrites.watch` gives None and the
loop polls as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger()
LOOK_ANYWAY_SECONDS = 10.0
"""How often a loop waiting for writes looks anyway: a write it was not told of waits no longer."""
LOOK_AGAIN_AFTER_WRITE = 0.05
"""After a write, a loop that found nothing looks again this soon: the commit is visible then."""


class DatabaseWrites:
    """Writes to one SQLite database file and its write-ahead log."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._log = path.with_name(path.name + "-wal")
        self._warned = False

    @classmethod
    def watch(cls, database: str | None) -> DatabaseWrites | None:
        """Writes to the database file at `database`; None where they cannot be watched."""
        if sys.platform != "linux" or not database or database == ":memory:":
            return None
        try:
            import asyncinotify  # noqa: F401  # Linux only
        except ImportError:
            return None
        return cls(Path(database).resolve())

    def arm(self) -> ArmedWatch | None:
        """Start noticing writes from now on; None when the watch cannot be set."""
        from asyncinotify import Inotify, Mask

        inotify = None
        try:
            inotify = Inotify()
            for path in (self._path, self._log):
                if path.exists():
                    inotify.add_watch(path, Mask.MODIFY)
            # the log is removed when the last connection closes and made again by the next
            inotify.add_watch(self._path.parent, Mask.CREATE | Mask.MOVED_TO)
        except Exception:  # the instance or watch limit reached: the loop polls instead
            if inotify is not None:
                inotify.close()
            if not self._warned:  # once: the loop asks again at every idle turn
                self._warned = True
                log.warning("database_writes.not_watched", exc_info=True)
            return None
        return ArmedWatch(inotify, self._log.name)


class ArmedWatch:
    """One armed watch: wait on it once, then close it."""

    def __init__(self, inotify: Any, log_name: str) -> None:
        self._inotify = inotify
        self._log_name = log_name

    async def written(self, unless: Iterable[asyncio.Event], seconds: float) -> bool:
        """Until the database is written (True), one of `unless` is set or `seconds` pass."""
        reading = asyncio.ensure_future(self._next_write())
        waits = [asyncio.ensure_future(event.wait()) for event in unless]
        try:
            done, _pending = await asyncio.wait(
                [reading, *waits], timeout=seconds, return_when=asyncio.FIRST_COMPLETED
            )
        finally:
            for task in (reading, *waits):
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await reading
        return reading in done

    def close(self) -> None:
        self._inotify.close()

    async def _next_write(self) -> None:
        while True:
            event = await self._inotify.get()
            # A modification of a watched file has no name; in the directory only the log counts.
            if event.name is None or event.name.name == self._log_name:
                return
