"""Fixtures every service's tests share; a service's conftest only names its definition."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from servicekit.bus.api import Record
from servicekit.bus.factory import build_bus
from servicekit.service import ServiceDefinition
from servicekit.testing import TokenFactory, embedded_settings, read_topic, running_service

ReadTopic = Callable[..., Awaitable[list[Record]]]


@pytest.fixture
def tokens(tmp_path: Path) -> TokenFactory:
    return TokenFactory.create(tmp_path / "keys")


@pytest.fixture
def service_definition() -> ServiceDefinition:
    raise LookupError("a service's conftest.py overrides the `service_definition` fixture")


@pytest.fixture
async def client(
    tmp_path: Path, tokens: TokenFactory, service_definition: ServiceDefinition
) -> AsyncIterator[httpx.AsyncClient]:
    """The service on SQLite and the SQL event log, consumers and relay running."""
    settings = embedded_settings(service_definition, tmp_path, tokens)
    async with running_service(service_definition, settings) as http:
        yield http


@pytest.fixture
async def published(tmp_path: Path) -> AsyncIterator[ReadTopic]:
    """Reads what the `client` service published, as any other consumer would."""
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{tmp_path / 'bus.db'}")
    await bus.start()

    async def read(topic: str, *, expected: int = 1) -> list[Record]:
        return await read_topic(bus, topic, expected=expected)

    try:
        yield read
    finally:
        await bus.close()
