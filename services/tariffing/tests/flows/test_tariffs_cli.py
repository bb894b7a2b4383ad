"""`mediprima tariffs import FILE`: the operator's command line import, all or nothing."""

import asyncio
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from servicekit.cli import app
from servicekit.db import Database
from servicekit.testing import migrate
from tariffing.main import service
from tariffing.nomenclature.models import Tariff

from .test_tariff_imports import HEADER, NEW_CODE


async def stored_rows(url: str) -> int:
    database = Database(url)
    try:
        async with database.reading() as session:
            return int(await session.scalar(select(func.count()).select_from(Tariff)) or 0)
    finally:
        await database.dispose()


@pytest.fixture
def database_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tariffing.db'}"
    monkeypatch.setenv("MEDIPRIMA_DATABASE_URL", url)
    monkeypatch.setenv("MEDIPRIMA_VAR_DIR", str(tmp_path))
    asyncio.run(migrate(service, url))
    return url


def test_t05_the_cli_imports_a_file_and_reports_the_counts(
    tmp_path: Path, database_url: str
) -> None:
    tariffs = tmp_path / "tariffs.csv"
    tariffs.write_text(HEADER + NEW_CODE)

    first = CliRunner().invoke(app, ["tariffs", "import", str(tariffs)])
    again = CliRunner().invoke(app, ["tariffs", "import", str(tariffs)])

    assert first.exit_code == 0, first.output
    assert "imported 1, skipped 0, errors 0" in first.output
    assert "imported 0, skipped 1, errors 0" in again.output
    assert asyncio.run(stored_rows(database_url)) == 1


def test_t05_the_cli_refuses_a_file_with_a_bad_row_and_imports_nothing(
    tmp_path: Path, database_url: str
) -> None:
    tariffs = tmp_path / "tariffs.csv"
    tariffs.write_text(HEADER + NEW_CODE + "109998,2027-01-01,,oops,10.00,11.00,2.00,gp,bad\n")

    result = CliRunner().invoke(app, ["tariffs", "import", str(tariffs)])

    assert result.exit_code == 1
    assert "tariff.amount_format rows.3.fee" in result.output
    assert "imported 0, skipped 0, errors 1" in result.output
    assert asyncio.run(stored_rows(database_url)) == 0
