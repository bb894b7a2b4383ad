"""Fixtures for the bus battery: one started bus per backend, on real infrastructure only."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from .support import Backend, BusMaker, TestBus, make_test_bus

POSTGRES_ENV = "MEDIPRIMA_TEST_POSTGRES_URL"
KAFKA_ENV = "KAFKA_BOOTSTRAP_SERVERS"


def _required_env(name: str, example: str) -> str:
    value = os.environ.get(name)
    if not value:
        pytest.fail(
            f"{name} is not set. The bus battery runs on real infrastructure only: run it with "
            f"`make test`, which provides it, or export it yourself (e.g. {name}={example}).",
            pytrace=False,
        )
    return value


@pytest.fixture(scope="session")
async def postgres_url() -> AsyncIterator[str]:
    """A fresh database for this test session on the server of MEDIPRIMA_TEST_POSTGRES_URL."""
    admin_url = make_url(
        _required_env(POSTGRES_ENV, "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres")
    )
    name = f"bus_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield admin_url.set(database=name).render_as_string(hide_password=False)
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        await admin.dispose()


@pytest.fixture(scope="session")
def kafka_servers() -> str:
    return _required_env(KAFKA_ENV, "127.0.0.1:19092")


@pytest.fixture
def address(request: pytest.FixtureRequest, backend: Backend, tmp_path: Path) -> str:
    """Where the backend lives: a temp SQLite file, this session's database, or the broker."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}"
    if backend == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(request.getfixturevalue("kafka_servers"))


@pytest.fixture
async def make_bus(backend: Backend, address: str) -> AsyncIterator[BusMaker]:
    """Starts buses of the test's backend (several: separate producers or processes' views)."""
    started: list[TestBus] = []

    async def make(**overrides: Any) -> TestBus:
        bus = make_test_bus(backend, address, **overrides)
        await bus.start()
        started.append(bus)
        return bus

    yield make
    for bus in reversed(started):
        await bus.close()


@pytest.fixture
async def bus(make_bus: BusMaker) -> TestBus:
    return await make_bus()
