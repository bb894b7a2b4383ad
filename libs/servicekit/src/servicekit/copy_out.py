"""A query's rows streamed by PostgreSQL's `COPY (…) TO STDOUT`, inside the session's own
transaction: the server formats and sends the rows without a round trip per batch, and only a
few chunks are ever held in memory (the queue bounds how far the server may run ahead)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncSession

_CHUNKS_AHEAD = 8


async def copy_columns(
    session: AsyncSession, statement: Select[*tuple[Any, ...]], *, ahead: int = _CHUNKS_AHEAD
) -> AsyncIterator[list[list[bytes]]]:
    """The rows of `statement`, a batch of whole rows at a time, as one list per column of the
    values COPY's text format wrote: `[[a1, a2, …], [b1, b2, …]]`.

    Only for values that need no escaping in that format (no backslash, tab or newline, nor
    NULL, which COPY writes as `\\N`): a backslash in the output is refused rather than passed
    on as if it were data. Parameters go to the server as the statement holds them."""
    width = len(statement.selected_columns)
    async for rows in _copy_rows(session, statement, ahead):
        # Rows and fields both split in C: per row, no Python code runs at all.
        values = rows.replace(b"\n", b"\t").split(b"\t")
        yield [values[column::width] for column in range(width)]


async def _copy_rows(
    session: AsyncSession, statement: Select[*tuple[Any, ...]], ahead: int
) -> AsyncIterator[bytes]:
    compiled = statement.compile(dialect=session.get_bind().dialect)
    params = compiled.construct_params()
    arguments = [params[name] for name in compiled.positiontup or ()]
    connection = await session.connection()
    raw = (await connection.get_raw_connection()).driver_connection
    assert raw is not None
    chunks: asyncio.Queue[bytes | None] = asyncio.Queue(maxsize=ahead)

    async def sink(chunk: bytes) -> None:
        if chunk:
            await chunks.put(chunk)

    async def copy() -> None:
        try:
            await raw.copy_from_query(str(compiled), *arguments, output=sink, format="text")
        finally:
            await chunks.put(None)  # the end, or the copy failed

    copying = asyncio.create_task(copy())
    try:
        rest = b""
        while (chunk := await chunks.get()) is not None:
            if b"\\" in chunk:
                raise ValueError("COPY escaped a value: this reader takes plain values only")
            whole, _, rest = (rest + chunk).rpartition(b"\n")
            if whole:
                yield whole
        await copying  # raises what the copy raised
    finally:
        if not copying.done():
            copying.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await copying
