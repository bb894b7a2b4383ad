"""Is an error a dependency being unreachable (the database restarting, a connection cut), rather
than something wrong with the work itself? Such work waits and is tried again; it is never
given up on (dead-lettered) for it."""

from __future__ import annotations

from collections.abc import Iterator

import asyncpg
from sqlalchemy.exc import DBAPIError, InterfaceError


def is_outage(error: BaseException) -> bool:
    return any(_is_outage_itself(cause) for cause in _causes(error))


def _is_outage_itself(error: BaseException) -> bool:
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(
        error,
        ConnectionError  # refused, reset, broken pipe: the server went away
        | InterfaceError  # "connection is closed"
        | asyncpg.PostgresConnectionError
        | asyncpg.CannotConnectNowError  # the server is starting or shutting down
        | asyncpg.AdminShutdownError,
    )


def _causes(error: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__
