"""S-03: on PostgreSQL the server writes the file lines (layout_sql, streamed by COPY); they are
byte for byte the lines layout.line_texts writes on SQLite, in both layouts, for every kind
of value a line can hold."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from mediprima_contracts.testing import random_enterprise_number
from mediprima_contracts.testing.factories import random_ssin
from servicekit.db import Database
from servicekit.tenancy import SERVICE
from servicekit.testing import migrate, postgres_database
from settlement.ledger.models import LedgerLine
from settlement.main import service
from settlement.settlements import repository
from settlement.settlements.files import layout
from settlement.settlements.files.layout import LAYOUT_1, LAYOUT_2
from settlement.settlements.files.lines import line_batches

pytestmark = pytest.mark.postgres
MONTH = "2025-10"


def _line(number: int, **overrides: Any) -> dict[str, Any]:
    values = {
        "month": MONTH,
        "kind": "paid",
        "booked_at": datetime(2025, 10, 15, 10, 0, tzinfo=UTC),
        "booking_reference": f"pay-{number}",
        "payment_reference": f"pay-{number}",
        "invoice_id": f"inv-{number}",
        "line_number": number,
        "provider": "10000000001",
        "ssin": str(random_ssin()),
        "person_id": f"P{number:032d}",
        "ocmw": str(random_enterprise_number()),
        "decision_number": "000123",
        "version": 3,
        "urgent_medical_aid": False,
        "code": "101076",
        "date_of_care": date(2025, 10, 1),
        "state_share": Decimal("12.34"),
        "ocmw_share": Decimal("0.05"),
        "patient_share": Decimal("0.00"),
    }
    return {**values, **overrides}


LINES = [
    _line(1),
    _line(2, person_id=None, urgent_medical_aid=True, date_of_care=date(2025, 9, 30)),
    _line(3, person_id="", version=12, line_number=10),
    _line(
        4, kind="credit", booking_reference="cred-4", state_share=Decimal("-1234567.89"),
        ocmw_share=Decimal("-0.05"), patient_share=Decimal("-10.00"),
    ),
    _line(5, state_share=Decimal("99999999.99"), ocmw_share=Decimal("0.10")),
]  # fmt: skip


@pytest.mark.parametrize("file_layout", [LAYOUT_1, LAYOUT_2])
async def test_s03_postgresql_writes_each_line_as_layout_line_texts_does(file_layout: int) -> None:
    async with postgres_database("settlement") as url:
        await migrate(service, url)
        database = Database(url)
        try:
            async with database.transaction() as session:
                await session.execute(LedgerLine.__table__.insert(), LINES)
            async with database.reading() as session:
                watermark = await repository.ledger_watermark(session)
                written = [
                    (csv_line.decode(), json_line.decode())
                    async for batch in line_batches(
                        session,
                        month=MONTH,
                        watermark=watermark,
                        file_layout=file_layout,
                        tenant=SERVICE,
                    )
                    for csv_line, json_line in zip(batch.csv_lines, batch.json_lines, strict=True)
                ]
                rows = [
                    row
                    async for batch in repository.stream_lines(
                        session, MONTH, watermark, tenant=SERVICE
                    )
                    for row in batch
                ]
        finally:
            await database.dispose()

    expected = [layout.line_texts(MONTH, row, file_layout) for row in rows]
    assert len(written) == len(LINES)
    assert written == expected
