"""Synthetic paid lines for load tests and benchmarks, inserted set-based by the database
(SQLite or PostgreSQL).

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


# PostgreSQL: the same lines from generate_series (a person id on every line).
_PAID_LINES_POSTGRESQL = """
INSERT INTO ledger_lines (
    month, kind, booked_at, booking_reference, payment_reference, invoice_id, line_number,
    provider, ssin, person_id, ocmw, decision_number, version, urgent_medical_aid, code,
    date_of_care, state_share, ocmw_share, patient_share)
SELECT :month, 'paid', timestamptz '2025-10-15 10:00:00+00', 'pay-' || (i / 4), 'pay-' || (i / 4),
    'inv-' || (i / 4), i % 4 + 1, '1' || lpad((i % 300)::text, 10, '0'),
    lpad((85000000000 + i % 4000)::text, 11, '0'), 'P' || md5((i % 4000)::text),
    lpad((200000000 + (i / 4) % :ocmws)::text, 10, '0'), lpad((i % 5000)::text, 6, '0'),
    1 + i % 3, i % 2 = 1, '101076', date '2025-10-01', 1000 + i % 997, 100 + i % 89, i % 7
FROM generate_series(0, :last) AS i
"""


async def insert_paid_lines(
    connection: AsyncConnection, *, month: str, lines: int, ocmws: int
) -> None:
    """`lines` paid lines in `month` over `ocmws` OCMWs."""
    postgresql = connection.dialect.name == "postgresql"
    await connection.execute(
        text(_PAID_LINES_POSTGRESQL if postgresql else _PAID_LINES),
        {"last": lines - 1, "month": month, "ocmws": ocmws},
    )
