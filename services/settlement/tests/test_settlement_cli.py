"""`mediprima settlements run YYYY-MM`: the operator's run from a shell, same rules as the API."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from servicekit.testing import migrate
from settlement.cli import app
from settlement.main import service

_LINE = (
    "INSERT INTO ledger_lines (month, kind, booked_at, booking_reference, payment_reference, "
    "invoice_id, line_number, provider, ssin, ocmw, decision_number, version, "
    "urgent_medical_aid, code, date_of_care, state_share, ocmw_share, patient_share) VALUES "
    "('2025-10', 'paid', '2025-10-15 10:00:00', ?, ?, ?, 1, '10000000001', '85000000001', "
    "'0200000001', '123456', 1, 1, '101076', '2025-10-01', 2600, 400, 0)"
)


async def test_s01_the_cli_runs_a_month_and_reports_it_reconciled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "settlement.db"
    await migrate(service, f"sqlite+aiosqlite:///{database}")
    with sqlite3.connect(database) as connection:
        connection.executemany(_LINE, [(f"pay-{i}", f"pay-{i}", f"inv-{i}") for i in range(3)])
    monkeypatch.setenv("MEDIPRIMA_DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    runner = CliRunner()

    result = await asyncio.to_thread(runner.invoke, app, ["run", "2025-10"])
    bad_month = await asyncio.to_thread(runner.invoke, app, ["run", "2025-13"])

    assert result.exit_code == 0, result.output
    assert "state 78.00" in result.output
    assert "total 90.00" in result.output
    assert "lines 3" in result.output
    assert "reconciled (ledger = funder file = OCMW statements): True" in result.output
    assert "funder-2025-10.csv" in result.output
    assert bad_month.exit_code != 0


async def test_s04_the_cli_refuses_a_closed_month(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "settlement.db"
    await migrate(service, f"sqlite+aiosqlite:///{database}")
    monkeypatch.setenv("MEDIPRIMA_DATABASE_URL", f"sqlite+aiosqlite:///{database}")
    runner = CliRunner()
    first = await asyncio.to_thread(runner.invoke, app, ["run", "2025-10"])
    settlement_id = re.search(r"settlement ([0-9a-f-]{36}) 2025-10", first.output)[1]  # type: ignore[index]
    closed = await asyncio.to_thread(runner.invoke, app, ["close", settlement_id])

    again = await asyncio.to_thread(runner.invoke, app, ["run", "2025-10"])

    assert closed.exit_code == 0, closed.output
    assert "closed" in closed.output
    assert again.exit_code == 1
    assert "S-04 settlement.closed" in again.output
