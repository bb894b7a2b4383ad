"""Retry-safe inserts: once per key; a retry or a concurrent twin gets the row holding it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

RowT = TypeVar("RowT")


async def insert_unless_present(
    session: AsyncSession, row: RowT, earlier: Callable[[], Awaitable[RowT | None]]
) -> RowT | None:
    """Insert `row` unless `earlier()` finds its twin: then return the twin, else None.

    The savepoint covers a concurrent twin that commits first: the unique constraint refuses
    our insert, and the twin is answered instead of a 500.
    """
    found = await earlier()
    if found is not None:
        return found
    return await insert_keyed(session, row, earlier)


async def insert_keyed(
    session: AsyncSession, row: RowT, earlier: Callable[[], Awaitable[RowT | None]]
) -> RowT | None:
    """`insert_unless_present` for a caller that has just looked for the key and found nothing."""
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
