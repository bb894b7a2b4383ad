"""The event log's engine: SQLite shared by several processes, or PostgreSQL.

SQLite allows one writer at a time on the whole file. pysqlite/aiosqlite would start a write
transaction lazily at the first DML statement, so two processes that both read first and write
second deadlock into "database is locked". Following SQLAlchemy's "serializable isolation /
transactional DDL" recipe we switch the driver's own BEGIN off (`isolation_level = None`) and emit
`BEGIN IMMEDIATE` ourselves: a writer takes the write lock up front and others queue behind it for
up to `busy_timeout`. WAL mode lets readers go on while a writer works, so fetches open a
deferred transaction (a snapshot) through the read-only engine and never wait for producers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Insert, Table, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from servicekit.bus import sqltables

_READ_ONLY = "mediprima_bus_read_only"
_SCHEMA_LOCK = 0x6D656469  # any constant shared by all processes creating the tables


def create_log_engine(url: str, *, busy_timeout_ms: int) -> AsyncEngine:
    """An engine for `sqlite+aiosqlite://` or `postgresql+asyncpg://`; other dialects refused."""
    engine = create_async_engine(url)
    if engine.dialect.name == "sqlite":
        _take_write_lock_at_begin(engine, busy_timeout_ms)
    elif engine.dialect.name != "postgresql":
        raise ValueError(
            f"the SQL event log runs on SQLite or PostgreSQL, not {engine.dialect.name}"
        )
    return engine


def read_only(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, but transactions that only read (a deferred BEGIN on SQLite)."""
    return engine.execution_options(**{_READ_ONLY: True})


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


def _take_write_lock_at_begin(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(conn: Connection) -> None:
        mode = "DEFERRED" if conn.get_execution_options().get(_READ_ONLY) else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")
