"""Async SQLAlchemy engines and the one transaction an edge (request, event, job) owns."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import MetaData, Table, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from servicekit.outages import reported_as_unavailable
from servicekit.rowsecurity import TENANT_INFO, IdentifiedSession
from servicekit.sqlite import InlineConnection, check_writable, file_key
from servicekit.tenancy import Tenant

if TYPE_CHECKING:
    from servicekit.settings import ServiceSettings

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def table_of(model: type[Any]) -> Table:
    """A model's table, for Core statements: rows in and out without the ORM's unit of work."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


READ_ONLY = "mediprima_read_only"
PING_SECONDS = 5.0


def create_engine(
    url: str, *, busy_timeout_ms: int = 30_000, inline: bool = False, **kwargs: Any
) -> AsyncEngine:
    """An engine; on SQLite, one that several processes can share safely.

    `inline` (SQLite files): statements run on the event loop, not on a helper thread, and this
    process's write transactions take turns in the process before asking SQLite for the write
    lock (`servicekit.sqlite`). For short statements: a long one holds up the loop.
    """
    # A database error names its statement, never the values bound to it (national numbers,
    # names): its text reaches logs and dead letters.
    kwargs.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        # No pre-ping: it costs a round trip on every checkout, and asyncpg reports a dead
        # connection on use, which SQLAlchemy turns into invalidating the pool. The pool's
        # default size (5, up to 15 at once) already exceeds what two cores of PostgreSQL run.
        return create_async_engine(url, **kwargs)
    key = _inline_file(url)
    if inline and key is not None:
        kwargs["async_creator"] = _inline_connector(key, busy_timeout_ms / 1000)
    engine = create_async_engine(url, **kwargs)
    _take_sqlite_write_lock_at_begin(engine, busy_timeout_ms)
    return engine


def _inline_file(url: str) -> str | None:
    """The SQLite file an inline engine may serve (not in-memory, no URL options), else None."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.query:
        return None
    return file_key(parsed.database or "")


def _inline_connector(key: str, patience: float) -> Callable[[], Awaitable[InlineConnection]]:
    async def connect() -> InlineConnection:
        return await InlineConnection.open(key, patience=patience)

    return connect


def read_only(engine: AsyncEngine) -> AsyncEngine:
    """The same pool, for transactions that only read: on SQLite they never wait for writers."""
    return engine.execution_options(**{READ_ONLY: True})


def _take_sqlite_write_lock_at_begin(engine: AsyncEngine, busy_timeout_ms: int) -> None:
    # pysqlite starts a write transaction lazily at the first write, so two processes that
    # read first and write second deadlock into "database is locked". Following SQLAlchemy's
    # "serializable isolation / transactional DDL" recipe the driver's BEGIN is switched off and
    # BEGIN IMMEDIATE is emitted instead: a writer takes the lock up front and the others queue
    # for up to busy_timeout. WAL lets readers (a deferred BEGIN) go on while a writer works.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        # On the event loop SQLite must never sleep in its busy handler: InlineConnection waits
        # with asyncio sleeps instead.
        inline = isinstance(dbapi_connection.driver_connection, InlineConnection)
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {0 if inline else int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN DEFERRED")
        elif isinstance(connection.connection.driver_connection, InlineConnection):
            connection.connection.dbapi_connection.run_async(lambda writer: writer.begin_write())
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _make_room_for_sqlite_file(url: str) -> None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)


def _naming(tenant: Tenant | None) -> dict[str, Tenant]:
    return {} if tenant is None else {TENANT_INFO: tenant}


class Database:
    """A service's database: `transaction()` for units of work, `reading()` for reads.

    On a SQLite file the two use separate pools: transactions run inline on the event loop
    (`servicekit.sqlite`: no helper-thread hop per statement, writers in turn), reads on
    aiosqlite's helper threads, so a long report never holds up the loop and, with WAL, never
    waits for a writer.
    """

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        _make_room_for_sqlite_file(url)
        self.engine = create_engine(url, inline=True, **engine_kwargs)
        inline = _inline_file(url) is not None
        self._reader = create_engine(url, **engine_kwargs) if inline else self.engine
        self.sessions = async_sessionmaker(
            self.engine, expire_on_commit=False, sync_session_class=IdentifiedSession
        )
        self.read_sessions = async_sessionmaker(
            read_only(self._reader), expire_on_commit=False, sync_session_class=IdentifiedSession
        )

    @classmethod
    def from_settings(cls, settings: ServiceSettings) -> Database:
        """The service's database with the pool, timeouts and busy timeout its settings name."""
        options: dict[str, Any] = {
            "pool_size": settings.database_pool_size,
            "max_overflow": settings.database_max_overflow,
            "pool_timeout": settings.database_pool_timeout_seconds,
        }
        if make_url(settings.database_url).get_backend_name() == "sqlite":
            options["busy_timeout_ms"] = settings.database_busy_timeout_ms
        else:
            options["connect_args"] = {"timeout": settings.database_connect_timeout_seconds}
        return cls(settings.database_url, **options)

    @property
    def engines(self) -> list[AsyncEngine]:
        """The engine of transactions and, where it is another, the one of reads."""
        return [self.engine] if self._reader is self.engine else [self.engine, self._reader]

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @asynccontextmanager
    async def transaction(self, *, tenant: Tenant | None = None) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits when the block ends, rolls back when it raises.

        `tenant`: the caller the work is done for; on PostgreSQL the tenant tables then show
        only its rows (`servicekit.rowsecurity`). None: the service's own work, every row.

        The database out of reach (down, locked beyond the busy timeout, no free connection):
        `DependencyUnavailable` (503), with nothing of the unit of work stored."""
        async with (
            reported_as_unavailable("database"),
            self.sessions(info=_naming(tenant)) as session,
            session.begin(),
        ):
            yield session

    @asynccontextmanager
    async def reading(self, *, tenant: Tenant | None = None) -> AsyncIterator[AsyncSession]:
        """A transaction that only reads; whatever it changed is rolled back. `tenant` as for
        `transaction`."""
        async with (
            reported_as_unavailable("database"),
            self.read_sessions(info=_naming(tenant)) as session,
        ):
            try:
                yield session
            finally:
                await session.rollback()

    async def ping(self, *, patience: float = PING_SECONDS) -> None:
        """Raise unless the database can be reached; a SQLite file, unless a write could begin."""
        key = _inline_file(self.url)
        if key is not None:
            await check_writable(key, patience=patience)
            return
        async with asyncio.timeout(patience), self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        for engine in self.engines:
            await engine.dispose()
