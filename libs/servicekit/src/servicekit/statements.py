"""Hot statements: built once, run on the transaction's own connection.

Building a statement, and the cache key SQLAlchemy derives from it on every execution, costs more
than running it on SQLite; the ORM session's execution layer adds as much again. A statement built
once (its values as `bindparam`s, which keeps its cache key memoised) and run on the session's
connection skips both: the decision read model's query went from 1.2 ms to 0.35 ms a call.

Rows come back as plain `Row`s: no identity map, no unit of work. Objects added to the session
are flushed first, as `Session.execute` would, so the statement sees them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.util.typing import TupleAny

Parameters = Mapping[str, Any] | Sequence[Mapping[str, Any]] | None


async def run(
    session: AsyncSession, statement: Executable, parameters: Parameters = None
) -> CursorResult[*TupleAny]:
    """Execute `statement` (a list of parameter sets: executemany) in the session's transaction."""
    if session.new or session.dirty or session.deleted:
        await session.flush()
    connection = await session.connection()
    return await connection.execute(statement, parameters)
