"""S-04 at volume: 100,000 paid lines over 50 OCMWs reconcile, and a re-run is byte-identical."""

from __future__ import annotations

import csv
import hashlib
import io
import sqlite3
from decimal import Decimal
from pathlib import Path

import httpx

from servicekit.auth import Role
from servicekit.db import create_engine
from servicekit.testing import TokenFactory
from settlement.ledger.synthetic import insert_paid_lines

LINES, OCMWS = 100_000, 50


async def _generate(database: Path) -> tuple[int, int, int]:
    """Set-based, straight into the ledger; then what it holds, summed by SQLite itself."""
    engine = create_engine(f"sqlite+aiosqlite:///{database}")
    async with engine.begin() as connection:
        await insert_paid_lines(connection, month="2025-10", lines=LINES, ocmws=OCMWS)
    await engine.dispose()
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT sum(state_share), sum(ocmw_share), sum(patient_share) FROM ledger_lines"
        ).fetchone()
    return row[0], row[1], row[2]


def _cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


async def test_s04_100000_lines_over_50_ocmws_reconcile_and_rerun_byte_identically(
    sqlite_client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    state, ocmw, patient = await _generate(tmp_path / "settlement.db")
    operator = tokens.headers(Role.OPERATOR, "operator-1")

    first = await sqlite_client.post("/v1/settlements", json={"month": "2025-10"}, headers=operator)
    settlement_id = first.json()["settlement_id"]
    view = (await sqlite_client.get(f"/v1/settlements/{settlement_id}", headers=operator)).json()
    funder = await sqlite_client.get(
        f"/v1/settlements/{settlement_id}/funder-file", headers={**operator, "Accept": "text/csv"}
    )
    statements_total = 0
    for entry in view["per_ocmw"]:
        statement = await sqlite_client.get(
            f"/v1/settlements/{settlement_id}/ocmw/{entry['enterprise_number']}",
            headers={**operator, "Accept": "application/json"},
        )
        statements_total += _cents(statement.json()["totals"]["total"])
    rerun = await sqlite_client.post("/v1/settlements", json={"month": "2025-10"}, headers=operator)
    again = await sqlite_client.get(f"/v1/settlements/{settlement_id}", headers=operator)
    view_again = again.json()

    assert first.status_code == rerun.status_code == 202
    totals = view["totals"]
    assert (totals["lines"], totals["invoices"], len(view["per_ocmw"])) == (
        LINES,
        LINES // 4,
        OCMWS,
    )
    assert [_cents(totals[share]) for share in ("state_share", "ocmw_share", "patient_share")] == [
        state, ocmw, patient,
    ]  # fmt: skip
    assert view["reconciliation"]["reconciled"] is True
    records = list(csv.DictReader(io.StringIO(funder.text)))
    line_total = sum(_cents(r["total"]) for r in records if r["record_type"] == "line")
    assert line_total == _cents(records[-1]["total"]) == state + ocmw + patient == statements_total
    assert sum(1 for r in records if r["record_type"] == "line") == LINES
    # every file of the re-run hashes as before, and the download is the file hashed
    assert view_again["files"] == view["files"]
    assert len(view["files"]) == 2 + 2 * OCMWS
    assert view["files"]["funder-2025-10.csv"] == hashlib.sha256(funder.content).hexdigest()
