"""A one-value read that idle loops repeat (is anything new?), as cheap as the database allows.

Through SQLAlchemy and aiosqlite a read costs over a millisecond of CPU (a pool checkout, a
BEGIN, the statement, a rollback, each a hop to the driver's thread); repeated by every idle
loop of every service that is most of what an idle platform spends. On SQLite the probe keeps
a connection of its own in autocommit and sends the precompiled statement in one hop (about
50 µs). Elsewhere it goes through the engine as usual.

On an SQLite file the probe can also say when the file is written (`writes`), so a loop with
nothing to do waits for that instead of repeating the read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select
from sqlalchemy.ext.asyncio import AsyncEngine

from servicekit.filewrites import DatabaseWrites


class IdleProbe:
    def __init__(self, engine: AsyncEngine, query: Select[Any]) -> None:
        self._engine = engine
        self._query = query
        self._sqlite: Any = None
        self._writes: DatabaseWrites | None = None
        self._watched = False
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

    def writes(self) -> DatabaseWrites | None:
        """Writes to the database file by any process, where they can be watched (else None)."""
        if not self._watched and self._sql is not None:
            self._watched = True
            self._writes = DatabaseWrites.watch(self._engine.url.database)
        return self._writes

    async def close(self) -> None:
        if self._sqlite is not None:
            await self._sqlite.close()
            self._sqlite = None
