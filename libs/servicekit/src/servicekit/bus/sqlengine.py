"""The event log's engine (SQLite shared by several processes, or PostgreSQL) and its tables.

How SQLite is made safe for several processes is explained in `servicekit.db`.
"""

from __future__ import annotations

from sqlalchemy import Insert, Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from servicekit.bus import sqltables
from servicekit.db import create_engine

_SCHEMA_LOCK = 0x6D656469  # any constant shared by all processes creating the tables


def create_log_engine(url: str, *, busy_timeout_ms: int) -> AsyncEngine:
    """An engine for SQLite or PostgreSQL; other dialects are refused."""
    engine = create_engine(url, busy_timeout_ms=busy_timeout_ms)
    if engine.dialect.name not in ("sqlite", "postgresql"):
        raise ValueError(
            f"the SQL event log runs on SQLite or PostgreSQL, not {engine.dialect.name}"
        )
    return engine


def insert_ignoring_duplicates(conn: AsyncConnection, table: Table) -> Insert:
    """INSERT ... ON CONFLICT DO NOTHING, so concurrent processes can create the same rows."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table).on_conflict_do_nothing()
    return sqlite.insert(table).on_conflict_do_nothing()


async def create_tables(engine: AsyncEngine) -> None:
    """Create the log's tables if missing, safely when several processes start at once."""
    async with engine.begin() as conn:
        await serialise_schema_changes(conn)
        await conn.run_sync(sqltables.metadata.create_all, checkfirst=True)


async def serialise_schema_changes(conn: AsyncConnection) -> None:
    """Make check-then-create (tables, topics) atomic across processes until the transaction ends.

    On SQLite the `BEGIN IMMEDIATE` already did; PostgreSQL needs a transaction advisory lock.
    """
    if conn.dialect.name == "postgresql":
        await conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SCHEMA_LOCK})
