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
from servicekit.testing import TokenFactory

LINES, OCMWS = 100_000, 50

# Set-based, straight into the ledger: four lines per invoice, each invoice for one OCMW.
_GENERATE = f"""
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {LINES - 1})
INSERT INTO ledger_lines (
    month, kind, booked_at, booking_reference, payment_reference, invoice_id, line_number,
    provider, ssin, ocmw, decision_number, version, urgent_medical_aid, code, date_of_care,
    state_share, ocmw_share, patient_share)
SELECT '2025-10', 'paid', '2025-10-15 10:00:00.000000', 'pay-' || (i / 4), 'pay-' || (i / 4),
    'inv-' || (i / 4), i % 4 + 1, printf('1%010d', i % 300),
    printf('%011d', 85000000000 + i % 4000),
    printf('%010d', 200000000 + (i / 4) % {OCMWS}), printf('%06d', i % 5000), 1 + i % 3, i % 2,
    '101076', '2025-10-01', 1000 + i % 997, 100 + i % 89, i % 7
FROM n
"""  # noqa: S608 - built from constants


def _generate(database: Path) -> tuple[int, int, int]:
    with sqlite3.connect(database, timeout=30) as connection:
        connection.execute(_GENERATE)
        row = connection.execute(
            "SELECT sum(state_share), sum(ocmw_share), sum(patient_share) FROM ledger_lines"
        ).fetchone()
    return row[0], row[1], row[2]


def _cents(amount: str) -> int:
    return int(Decimal(amount) * 100)


async def test_s04_100000_lines_over_50_ocmws_reconcile_and_rerun_byte_identically(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    state, ocmw, patient = _generate(tmp_path / "settlement.db")
    operator = tokens.headers(Role.OPERATOR, "operator-1")

    first = await client.post("/v1/settlements", json={"month": "2025-10"}, headers=operator)
    settlement_id = first.json()["settlement_id"]
    view = (await client.get(f"/v1/settlements/{settlement_id}", headers=operator)).json()
    funder = await client.get(
        f"/v1/settlements/{settlement_id}/funder-file", headers={**operator, "Accept": "text/csv"}
    )
    statements_total = 0
    for entry in view["per_ocmw"]:
        statement = await client.get(
            f"/v1/settlements/{settlement_id}/ocmw/{entry['enterprise_number']}",
            headers={**operator, "Accept": "application/json"},
        )
        statements_total += _cents(statement.json()["totals"]["total"])
    rerun = await client.post("/v1/settlements", json={"month": "2025-10"}, headers=operator)
    view_again = (await client.get(f"/v1/settlements/{settlement_id}", headers=operator)).json()

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
