"""Wakes this process's outbox relays when a transaction that wrote to the outbox commits.

The relay still checks now and then by itself, for rows that another process wrote (a command
line job), but within a service the signal makes it publish at once and otherwise sleep.
"""

from __future__ import annotations

import asyncio

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

_WRITTEN = "servicekit.outbox_written"
_relays: set[tuple[asyncio.AbstractEventLoop, asyncio.Event]] = set()


def mark_written(session: AsyncSession) -> None:
    session.info[_WRITTEN] = True


def listen() -> asyncio.Event:
    """An event set whenever an outbox write commits in this process; `forget` it when done."""
    wake = asyncio.Event()
    _relays.add((asyncio.get_running_loop(), wake))
    return wake


def forget(wake: asyncio.Event) -> None:
    for entry in [entry for entry in _relays if entry[1] is wake]:
        _relays.discard(entry)


@event.listens_for(Session, "after_commit")
def _wake_relays(session: Session) -> None:
    if session.info.pop(_WRITTEN, False):
        for loop, wake in list(_relays):
            # Thread-safe: a commit is normally on the loop's thread, but nothing guarantees it.
            if not loop.is_closed():
                loop.call_soon_threadsafe(wake.set)


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back_write(session: Session) -> None:
    session.info.pop(_WRITTEN, None)
