"""Synthetic paid lines for load tests and benchmarks, inserted set-based by the database.

Four lines per invoice, every invoice for one OCMW; shares vary so sums are not trivial."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# SQLite: a recursive CTE counts, printf pads the numbers.
_PAID_LINES = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < :last)
INSERT INTO ledger_lines (
    month, kind, booked_at, booking_reference, payment_reference, invoice_id, line_number,
    provider, ssin, ocmw, decision_number, version, urgent_medical_aid, code, date_of_care,
    state_share, ocmw_share, patient_share)
SELECT :month, 'paid', '2025-10-15 10:00:00.000000', 'pay-' || (i / 4), 'pay-' || (i / 4),
    'inv-' || (i / 4), i % 4 + 1, printf('1%010d', i % 300),
    printf('%011d', 85000000000 + i % 4000),
    printf('%010d', 200000000 + (i / 4) % :ocmws), printf('%06d', i % 5000), 1 + i % 3, i % 2,
    '101076', '2025-10-01', 1000 + i % 997, 100 + i % 89, i % 7
FROM n
"""


async def insert_paid_lines(
    connection: AsyncConnection, *, month: str, lines: int, ocmws: int
) -> None:
    """`lines` paid lines in `month` over `ocmws` OCMWs (SQLite)."""
    await connection.execute(text(_PAID_LINES), {"last": lines - 1, "month": month, "ocmws": ocmws})
