"""Rows into a table the fastest way each database offers: PostgreSQL's binary COPY (asyncpg),
SQLite's executemany in the driver's C loop. Values are converted the way SQLAlchemy stores
them (its own bind processors), so the services read the rows back exactly as if their ORM had
written them; JSON values arrive already serialised."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import asyncpg
from sqlalchemy import JSON, Table
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import make_url

_SQLITE = sqlite.dialect()


@dataclass(frozen=True)
class Batch:
    table: Table
    rows: Sequence[dict[str, Any]]


async def insert_batches(url: str, batches: Sequence[Batch]) -> None:
    """Every batch in one transaction; `url` is a service's SQLAlchemy URL."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        assert parsed.database is not None
        await asyncio.to_thread(_into_sqlite, parsed.database, batches)
    else:
        await _into_postgres(parsed.set(drivername="postgresql").render_as_string(False), batches)


def _into_sqlite(path: str, batches: Sequence[Batch]) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        for batch in batches:
            names = list(batch.rows[0])
            convert = [_sqlite_processor(batch.table, name) for name in names]
            placeholders = ", ".join("?" for _ in names)
            columns = ", ".join(f'"{name}"' for name in names)
            connection.executemany(
                f'INSERT INTO "{batch.table.name}" ({columns}) VALUES ({placeholders})',  # noqa: S608
                (
                    tuple(fn(row[name]) for fn, name in zip(convert, names, strict=True))
                    for row in batch.rows
                ),
            )
        connection.execute("COMMIT")
    finally:
        connection.close()


def _sqlite_processor(table: Table, name: str) -> Callable[[Any], Any]:
    column_type = table.columns[name].type
    if isinstance(column_type, JSON):
        return _unchanged  # serialised already
    processor = column_type.dialect_impl(_SQLITE).bind_processor(_SQLITE)
    if processor is None:
        return _plain
    return lambda value: None if value is None else processor(value)


def _unchanged(value: Any) -> Any:
    return value


def _plain(value: Any) -> Any:
    # str subclasses (Ssin, EnterpriseNumber, …) as plain str: sqlite3 binds exact types only
    return str(value) if isinstance(value, str) else value


async def _into_postgres(dsn: str, batches: Sequence[Batch]) -> None:
    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction():
            for batch in batches:
                names = list(batch.rows[0])
                await connection.copy_records_to_table(
                    batch.table.name,
                    columns=names,
                    records=[tuple(row[name] for name in names) for row in batch.rows],
                )
        # A database in service has statistics: autovacuum analyses a table once a tenth of it
        # changed. Without them the planner takes 100,000 rows for a few and picks plans that
        # take seconds. (SQLite gathers none unless asked, and the services never ask.)
        for table in dict.fromkeys(batch.table.name for batch in batches):
            await connection.execute(f'ANALYZE "{table}"')
    finally:
        await connection.close()
