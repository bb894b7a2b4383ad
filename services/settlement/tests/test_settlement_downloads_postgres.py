"""S-01, S-02 on PostgreSQL at volume: the files stream from the database (COPY) into the run's
checksums and into every download alike, so what an OCMW or the funder downloads is, byte for
byte, the file the run hashed, however many batches it takes."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from servicekit.auth import Role
from servicekit.db import Database
from servicekit.testing import (
    TokenFactory,
    embedded_settings,
    migrate,
    postgres_database,
    running_service,
)
from settlement.ledger.synthetic import insert_paid_lines
from settlement.main import service

pytestmark = pytest.mark.postgres
LINES, OCMWS, MONTH = 40_000, 4, "2025-10"
FORMATS = {"csv": "text/csv", "json": "application/json"}


@pytest.fixture
async def large_month(tmp_path: Path, tokens: TokenFactory) -> AsyncIterator[httpx.AsyncClient]:
    async with postgres_database("settlement") as url:
        await migrate(service, url)
        database = Database(url)
        try:
            async with database.engine.begin() as connection:
                await insert_paid_lines(connection, month=MONTH, lines=LINES, ocmws=OCMWS)
        finally:
            await database.dispose()
        settings = embedded_settings(service, tmp_path, tokens, database_url=url)
        async with running_service(service, settings) as client:
            yield client


async def test_s01_s02_every_download_of_a_large_month_is_the_file_the_run_hashed(
    large_month: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    operator = tokens.headers(Role.OPERATOR, "operator-1")
    started = await large_month.post("/v1/settlements", json={"month": MONTH}, headers=operator)
    settlement = f"/v1/settlements/{started.json()['settlement_id']}"
    view = (await large_month.get(settlement, headers=operator)).json()

    downloaded = {}
    for extension, media_type in FORMATS.items():
        funder = await large_month.get(
            f"{settlement}/funder-file", headers={**operator, "Accept": media_type}
        )
        downloaded[f"funder-{MONTH}.{extension}"] = funder.content
        for entry in view["per_ocmw"]:
            number = entry["enterprise_number"]
            statement = await large_month.get(
                f"{settlement}/ocmw/{number}",
                headers=tokens.headers(Role.OCMW, number, Accept=media_type),
            )
            downloaded[f"ocmw-{number}-{MONTH}.{extension}"] = statement.content

    assert view["reconciliation"]["reconciled"] is True
    assert (view["totals"]["lines"], len(view["per_ocmw"])) == (LINES, OCMWS)
    assert len(downloaded[f"funder-{MONTH}.json"]) > 10_000_000  # many COPY batches
    assert {name: hashlib.sha256(body).hexdigest() for name, body in downloaded.items()} == view[
        "files"
    ]
