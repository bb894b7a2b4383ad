"""The migrations go up and down: certificates filed before versions were kept become their own
version 1, and downgrading to before C-04's versions and I-06 and back loses no certificate."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from sqlalchemy.engine import Connection

from consultation.main import service
from servicekit.db import create_engine
from servicekit.migrations import alembic_config
from servicekit.testing import postgres_database

BEFORE_ISSUE_11 = "c0c0c0000003"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}"
        return
    async with postgres_database("consult_mig") as url:
        yield url


async def migrate(url: str, target: str, *, down: bool = False) -> None:
    engine = create_engine(url)

    def run(connection: Connection) -> None:
        config = alembic_config(service.migrations, url)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, target)

    try:
        async with engine.connect() as connection:
            await connection.run_sync(run)
            await connection.commit()
    finally:
        await engine.dispose()


async def query(url: str, sql: str, **values: object) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(text(sql), values)
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


async def test_migrations_go_up_and_down_keeping_the_certificates(database_url: str) -> None:
    number = str(uuid.uuid4().int % 10**12).zfill(12)
    await migrate(database_url, BEFORE_ISSUE_11)
    await query(
        database_url,
        "INSERT INTO urgent_aid_certificates (certificate_number, ssin, provider, care_type, "
        "valid_from, valid_until, registered_at) VALUES (:number, '85073003328', '10000106003', "
        "'general_medicine', :valid_from, NULL, :registered_at)",
        number=number,
        valid_from=date(2025, 2, 1),
        registered_at=datetime(2025, 2, 1, 10, tzinfo=UTC),
    )

    await migrate(database_url, "head")
    versions = await query(
        database_url,
        "SELECT certificate_number, version, valid_until FROM urgent_aid_certificate_versions",
    )
    heads = await query(database_url, "SELECT version FROM urgent_aid_certificates")
    await migrate(database_url, BEFORE_ISSUE_11, down=True)
    after_downgrade = await query(
        database_url, "SELECT certificate_number FROM urgent_aid_certificates"
    )
    await migrate(database_url, "head")

    assert versions == [(number, 1, None)]
    assert heads == [(1,)]
    assert after_downgrade == [(number,)]
    assert await query(database_url, "SELECT count(*) FROM billing_exemptions") == [(0,)]
