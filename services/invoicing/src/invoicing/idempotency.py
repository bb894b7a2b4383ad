"""Retry-safe writes: a row is inserted once per key; a retry gets the row that holds the key."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")


async def insert_unless_keyed(
    session: AsyncSession, row: Row, earlier: Callable[[], Awaitable[Row | None]]
) -> Row | None:
    """Insert `row` unless a row with its key exists: then return that one.

    The savepoint covers a concurrent twin with the same key that commits first: the unique
    constraint refuses our insert and the twin is answered as it was answered.
    """
    found = await earlier()
    if found is not None:
        return found
    return await insert_keyed(session, row, earlier)


async def insert_keyed(
    session: AsyncSession, row: Row, earlier: Callable[[], Awaitable[Row | None]]
) -> Row | None:
    """`insert_unless_keyed` for a caller that has just looked for the key and found nothing."""
    try:
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError:
        twin = await earlier()
        if twin is None:
            raise
        return twin
    return None
