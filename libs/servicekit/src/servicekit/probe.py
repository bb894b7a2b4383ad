"""A one-value read that idle loops repeat (is anything new?), as cheap as the database allows.

Through SQLAlchemy and aiosqlite a read costs over a millisecond of CPU (a pool checkout, a
BEGIN, the statement, a rollback, each a hop to the driver's thread); repeated by every idle
loop of every service that is most of what an idle platform spends. On SQLite the probe keeps
a connection of its own in autocommit and sends the precompiled statement in one hop (about
50 µs). Elsewhere it goes through the engine as usual.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncEngine


class IdleProbe:
    def __init__(self, engine: AsyncEngine, query: Select[Any]) -> None:
        self._engine = engine
        self._query = query
        self._sqlite: Any = None
        self._sql = (
            str(query.compile(dialect=engine.dialect, compile_kwargs={"literal_binds": True}))
            if engine.dialect.name == "sqlite" and engine.url.database
            else None
        )

    async def value(self) -> Any:
        """The first column of the first row, or None when there is no row."""
        if self._sql is None:
            async with self._engine.connect() as conn:
                return await conn.scalar(self._query)
        if self._sqlite is None:
            import aiosqlite

            self._sqlite = await aiosqlite.connect(
                self._engine.url.database or "", isolation_level=None
            )
        try:
            rows = list(await self._sqlite.execute_fetchall(self._sql))
        except Exception:
            await self.close()  # the next call starts on a fresh connection
            raise
        return rows[0][0] if rows else None

    async def close(self) -> None:
        if self._sqlite is not None:
            await self._sqlite.close()
            self._sqlite = None
