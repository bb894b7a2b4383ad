"""Every service's migrations build the outbox, inbox and dead letters that servicekit's relay
and consumers use: a column added to `servicekit.messaging.tables` without a migration in each
service fails here, on SQLite and on PostgreSQL."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from servicekit.db import create_engine
from servicekit.messaging.tables import metadata as messaging_metadata
from servicekit.migrations import upgrade
from servicekit.registry import load_service, service_names
from servicekit.testing import postgres_database

MESSAGING_TABLES = {"outbox", "inbox", "dead_letters"}


@asynccontextmanager
async def empty_database(kind: str, workdir: Path) -> AsyncIterator[str]:
    if kind == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'service.db'}"
        return
    async with postgres_database("messaging") as url:
        yield url


def differences_from_servicekit(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={
            "compare_type": True,
            "include_name": lambda name, kind, _parents: (
                kind != "table" or name in MESSAGING_TABLES
            ),
            # Tests may put tables of their own on the messaging metadata (the relay's harness).
            "include_object": lambda _object, name, kind, _reflected, _compared: (
                kind != "table" or name in MESSAGING_TABLES
            ),
        },
    )
    return list(compare_metadata(context, messaging_metadata))


@pytest.mark.parametrize("service", service_names())
@pytest.mark.parametrize(
    "database", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
async def test_each_services_migrations_build_the_outbox_and_inbox_servicekit_uses(
    service: str, database: str, tmp_path: Path
) -> None:
    async with empty_database(database, tmp_path) as url:
        engine = create_engine(url)
        try:
            await upgrade(engine, load_service(service).migrations)
            async with engine.connect() as connection:
                differences = await connection.run_sync(differences_from_servicekit)
        finally:
            await engine.dispose()

    assert differences == []
