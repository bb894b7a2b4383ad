"""S-03: on PostgreSQL the server writes the file lines (layout_sql, streamed by COPY); they are
byte for byte the lines layout.line_texts writes on SQLite, in every layout, for every kind
of value a line can hold; a statement that names persons is the same bytes on either."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
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
from settlement.settlements.files import documents, layout
from settlement.settlements.files.documents import Month, OcmwHeading
from settlement.settlements.files.layout import LAYOUT_1, LAYOUT_2, LAYOUT_3
from settlement.settlements.files.lines import line_batches
from settlement.settlements.models import StatementName

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


@pytest.mark.parametrize("file_layout", [LAYOUT_1, LAYOUT_2, LAYOUT_3])
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


# Names hold what identifiers never do: quotes, commas, backslashes, line breaks, any letter.
NAMED_OCMW = "0212345678"
NAMES = {
    "000123": ('De "Smet", Jr.', "Zoë\\Ann\tMarie\nLou"),
    "000456": ("Ødegård", "Łucja 🌷"),
}


async def _statement_bytes(url: str, file_format: documents.TextFormat) -> bytes:
    await migrate(service, url)
    database = Database(url)
    lines = [
        _line(number, ocmw=NAMED_OCMW, ssin=f"8507301234{number}", person_id=None,
              decision_number=decision)
        for number, decision in ((1, "000123"), (2, "000456"), (3, "000789"), (4, "000123"))
    ]  # fmt: skip
    try:
        async with database.transaction() as session:
            await session.execute(LedgerLine.__table__.insert(), lines)
            await session.execute(
                StatementName.__table__.insert(),
                [
                    {"settlement_id": "s-1", "ocmw": NAMED_OCMW, "decision_number": number,
                     "last_name": last, "first_name": first}
                    for number, (last, first) in NAMES.items()
                ],
            )  # fmt: skip
        async with database.reading() as session:
            month = Month("s-1", MONTH, await repository.ledger_watermark(session), LAYOUT_3)
            heading = OcmwHeading(NAMED_OCMW, "OCMW Gent", "nl")
            return b"".join(
                [
                    chunk
                    async for chunk in documents.ocmw_statement(
                        session, month, heading, file_format
                    )
                ]
            )
    finally:
        await database.dispose()


@pytest.mark.parametrize("file_format", ["csv", "json"])
async def test_s03_a_named_statement_is_the_same_bytes_on_postgresql_and_sqlite(
    file_format: documents.TextFormat, tmp_path: Path
) -> None:
    async with postgres_database("settlement") as url:
        on_postgresql = await _statement_bytes(url, file_format)
    on_sqlite = await _statement_bytes(f"sqlite+aiosqlite:///{tmp_path / 's.db'}", file_format)

    assert on_postgresql == on_sqlite
    if file_format == "json":
        lines = json.loads(on_postgresql)["lines"]
        assert [(line["last_name"], line["first_name"]) for line in lines] == [
            NAMES["000123"], NAMES["000456"], (None, None), NAMES["000123"]
        ]  # fmt: skip
    else:
        records = list(csv.DictReader(io.StringIO(on_postgresql.decode())))
        assert [(r["last_name"], r["first_name"]) for r in records[:4]] == [
            NAMES["000123"], NAMES["000456"], ("", ""), NAMES["000123"]
        ]  # fmt: skip
