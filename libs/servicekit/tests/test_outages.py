"""Which failures are outages: a database out of reach or without a free connection becomes
`DependencyUnavailable` (503 at the edge); a bug or a broken rule stays what it is."""

from __future__ import annotations

import asyncio
import socket

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from servicekit.db import Database
from servicekit.outages import DependencyUnavailable
from servicekit.testing import postgres_database

pytestmark = pytest.mark.postgres


def closed_port() -> int:
    """A port nothing listens on: a PostgreSQL that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_a_database_that_is_down_is_unavailable_not_an_error() -> None:
    async with postgres_database("outage") as url:
        down = make_url(url).set(port=closed_port()).render_as_string(hide_password=False)
    database = Database(down, connect_args={"timeout": 2})
    try:
        with pytest.raises(DependencyUnavailable) as refused:
            async with database.transaction() as session:
                await session.execute(text("SELECT 1"))
        with pytest.raises(Exception):  # noqa: B017, PT011  /ready reports any failure
            await database.ping()
    finally:
        await database.dispose()
    assert refused.value.status == 503
    assert [item.code for item in refused.value.errors] == ["database.unavailable"]


async def test_no_free_connection_within_the_pool_timeout_is_unavailable() -> None:
    async with postgres_database("pool") as url:
        database = Database(url, pool_size=1, max_overflow=0, pool_timeout=0.2)
        try:
            holding = asyncio.Event()
            release = asyncio.Event()

            async def hold_the_only_connection() -> None:
                async with database.transaction() as session:
                    await session.execute(text("SELECT 1"))
                    holding.set()
                    await release.wait()

            holder = asyncio.create_task(hold_the_only_connection())
            await holding.wait()
            with pytest.raises(DependencyUnavailable) as refused:
                async with database.transaction() as session:
                    await session.execute(text("SELECT 1"))
            release.set()
            await holder
            async with database.transaction() as session:  # free again: served
                assert await session.scalar(text("SELECT 1")) == 1
        finally:
            await database.dispose()
    assert "no free connection" in refused.value.cause


async def test_a_broken_constraint_is_not_an_outage() -> None:
    async with postgres_database("constraint") as url:
        database = Database(url)
        try:
            async with database.transaction() as session:
                await session.execute(text("CREATE TABLE t (id int PRIMARY KEY)"))
            with pytest.raises(IntegrityError):
                async with database.transaction() as session:
                    await session.execute(text("INSERT INTO t VALUES (1), (1)"))
        finally:
            await database.dispose()
