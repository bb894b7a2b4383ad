"""A dependency out of reach (database, event bus), told apart from a bug once for all services.

Each driver says "unreachable" in its own words: asyncpg and PostgreSQL (connection errors,
"the database system is starting up / shutting down", too many connections), SQLAlchemy (its
pool's timeout, a connection it found dead), SQLite (a file locked beyond the busy timeout, or
that cannot be opened, read or written), aiokafka (its retriable errors, timeouts) and the
sockets under them. `outage_of` recognises them anywhere in an exception's chain.

`Database` turns them into `DependencyUnavailable`, which the HTTP edge answers `503` with
`Retry-After` (the transaction is rolled back: nothing is stored half-way); consumers fetch
again from their committed position instead of dead-lettering, and the relay backs off.
"""

from __future__ import annotations

import asyncio
import sqlite3
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from servicekit.bus.api import BusUnavailableError
from servicekit.errors import ProblemItem, ServiceUnavailable

_SQLITE_OUTAGES = {
    sqlite3.SQLITE_BUSY: "locked",
    sqlite3.SQLITE_LOCKED: "locked",
    sqlite3.SQLITE_CANTOPEN: "cannot open the file",
    sqlite3.SQLITE_IOERR: "I/O error",
    sqlite3.SQLITE_FULL: "disk full",
    sqlite3.SQLITE_READONLY: "read-only",
}
# SQLSTATE classes and codes that mean "not now", not "not this": connection exception (08),
# insufficient resources (53), operator intervention (57: shutting down, starting up).
_POSTGRES_OUTAGE_CLASSES = ("08", "53", "57P")


class DependencyUnavailable(ServiceUnavailable):
    """A dependency the request needs is out of reach; the client should try again later."""

    def __init__(self, dependency: str, cause: str) -> None:
        super().__init__(
            f"The {dependency} is unavailable; try again later",
            [
                ProblemItem(
                    code=f"{dependency}.unavailable",
                    message=f"The {dependency} cannot be reached ({cause})",
                )
            ],
        )
        self.dependency = dependency
        self.cause = cause


def outage_of(exc: BaseException) -> str | None:
    """What is out of reach, in a few words, when `exc` says a dependency is; None otherwise."""
    for error in _chain(exc):
        cause = _outage(error)
        if cause is not None:
            return cause
    return None


def _outage(error: BaseException) -> str | None:
    if isinstance(error, DependencyUnavailable):
        return error.cause
    if isinstance(error, PoolTimeoutError):
        return "no free connection in the pool"
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return "connection lost"
    if isinstance(error, sqlite3.OperationalError):
        code = getattr(error, "sqlite_errorcode", None)
        if code is not None and code & 0xFF in _SQLITE_OUTAGES:
            return _SQLITE_OUTAGES[code & 0xFF]
        # servicekit.sqlite raises this one itself when no write turn comes in time.
        return "locked" if str(error).startswith("database is locked") else None
    sqlstate = getattr(error, "sqlstate", None)
    if isinstance(sqlstate, str) and sqlstate.startswith(_POSTGRES_OUTAGE_CLASSES):
        return f"SQLSTATE {sqlstate}"
    if isinstance(error, BusUnavailableError):
        return "event bus unreachable"
    if _kafka_not_now(error):
        return type(error).__name__
    if isinstance(error, ConnectionError | TimeoutError):
        return type(error).__name__
    if isinstance(error, OSError) and error.errno is None and "connect" in str(error).lower():
        return "cannot connect"  # asyncio's "Multiple exceptions" when every address refused
    return None


def _kafka_not_now(error: BaseException) -> bool:
    # Without aiokafka loaded (the SQL event log) there is no Kafka error to look at.
    kafka = sys.modules.get("aiokafka.errors")
    if kafka is None or not isinstance(error, kafka.KafkaError):
        return False
    return bool(error.retriable) or isinstance(error, kafka.KafkaTimeoutError)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    pending: list[BaseException | None] = [exc]
    while pending:
        error = pending.pop()
        if error is None or id(error) in seen:
            continue
        seen.add(id(error))
        yield error
        pending += [error.__cause__, error.__context__, getattr(error, "orig", None)]


@asynccontextmanager
async def reported_as_unavailable(dependency: str) -> AsyncIterator[None]:
    """Inside: an outage of `dependency` leaves as `DependencyUnavailable`, anything else as is."""
    try:
        yield
    except (DependencyUnavailable, asyncio.CancelledError):
        raise
    except Exception as exc:
        cause = outage_of(exc)
        if cause is None:
            raise
        raise DependencyUnavailable(dependency, cause) from exc
