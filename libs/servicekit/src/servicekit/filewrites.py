"""Tells an idle loop that an SQLite database file was written, by any process, so it need not
poll while nothing happens (Linux inotify, read on the event loop: no thread, no timer).

A write says "look again", not what changed: the loop still reads. SQLite appends a commit to
the write-ahead log a moment before readers can see it, so a loop that finds nothing new right
after a write looks once more shortly after. Without inotify (another system, a database that
is not a file, no watch left) `DatabaseWrites.watch` gives None and the loop polls as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger()
LOOK_ANYWAY_SECONDS = 10.0
"""How often a loop waiting for writes looks anyway: a write it was not told of waits no longer."""
# the database, and the files SQLite writes beside it: write-ahead log, rollback journal
_SUFFIXES = ("", "-wal", "-journal")


class DatabaseWrites:
    """Writes to one SQLite database's files, noticed through a watch on their directory (the
    log and journal files come and go)."""

    def __init__(self, inotify: Any, names: frozenset[str]) -> None:
        self._inotify = inotify
        self._names = names
        self.written = asyncio.Event()
        """Set by a write; whoever acts on it clears it before they look."""
        self._reading = asyncio.create_task(self._read(), name="database-writes")

    @classmethod
    def watch(cls, database: str | None) -> DatabaseWrites | None:
        """Start watching the database file at `database`; None where that cannot be done."""
        if sys.platform != "linux" or not database or database == ":memory:":
            return None
        path = Path(database).resolve()
        try:
            from asyncinotify import Inotify, Mask

            inotify = Inotify()
            try:
                inotify.add_watch(path.parent, Mask.MODIFY | Mask.CREATE | Mask.MOVED_TO)
            except Exception:
                inotify.close()
                raise
        except Exception:  # e.g. the watch limit reached: polling still finds every write
            log.warning("database_writes.not_watched", exc_info=True)
            return None
        return cls(inotify, frozenset(path.name + suffix for suffix in _SUFFIXES))

    async def close(self) -> None:
        self._reading.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reading
        self._inotify.close()

    async def _read(self) -> None:
        async for event in self._inotify:
            if event.name is not None and event.name.name in self._names:
                self.written.set()
