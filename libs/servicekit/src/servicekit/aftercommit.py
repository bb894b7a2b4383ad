"""Work that must happen only once a transaction has committed (a metric, an alert).

A consumer's batch that rolls back and is applied again one event at a time would otherwise
count its events twice; a rolled-back request would count a change that never happened.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

_CALLBACKS = "servicekit.after_commit"


def when_committed(session: AsyncSession, callback: Callable[[], None]) -> None:
    """Call `callback` after the session's transaction commits; forget it on rollback."""
    session.info.setdefault(_CALLBACKS, []).append(callback)


@event.listens_for(Session, "after_commit")
def _run_callbacks(session: Session) -> None:
    for callback in session.info.pop(_CALLBACKS, []):
        callback()


@event.listens_for(Session, "after_rollback")
def _forget_callbacks(session: Session) -> None:
    session.info.pop(_CALLBACKS, None)
