from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from servicekit.service import ServiceDefinition
from servicekit.testing import TokenFactory, embedded_settings, postgres_database, running_service
from settlement.main import service

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture
def service_definition() -> ServiceDefinition:
    return service


@pytest.fixture(params=BACKENDS)
async def client(
    request: pytest.FixtureRequest, tmp_path: Path, tokens: TokenFactory
) -> AsyncIterator[httpx.AsyncClient]:
    """The service on SQLite, then on PostgreSQL (its files stream differently on each: a
    cursor and Python there, COPY here), with the SQL event log either way."""
    if request.param == "sqlite":
        async with running_service(service, embedded_settings(service, tmp_path, tokens)) as http:
            yield http
        return
    async with postgres_database("settlement") as url:
        settings = embedded_settings(service, tmp_path, tokens, database_url=url)
        async with running_service(service, settings) as http:
            yield http


@pytest.fixture
async def sqlite_client(tmp_path: Path, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    """For tests that write the SQLite file themselves."""
    async with running_service(service, embedded_settings(service, tmp_path, tokens)) as http:
        yield http
