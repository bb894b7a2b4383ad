"""Migration 10f0c0000002 keeps what the skeleton stored: lines get their provider and person,
each earlier payment becomes a provider payment of one invoice, and it downgrades cleanly."""

from pathlib import Path

import pytest
from sqlalchemy import text

from invoicing.main import service
from servicekit.db import Database
from servicekit.testing import move_to_revision

SKELETON, HEAD = "10f0c0000001", "10f0c0000002"


async def _to(database: Database, revision: str, *, down: bool = False) -> None:
    await move_to_revision(service, database, revision, down=down)


@pytest.fixture
async def database(tmp_path: Path) -> Database:
    return Database(f"sqlite+aiosqlite:///{tmp_path / 'invoicing.db'}")


async def test_i05_payments_made_before_the_upgrade_stay_paid_once(database: Database) -> None:
    await _to(database, SKELETON)
    async with database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO invoices VALUES ('inv-1', '10000000001', '85073003328', NULL, 'paid',"
                " '2026-11-01 10:00:00', 'key-1', 'hash')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO invoice_lines (invoice_id, line_number, date_of_care, code, amount,"
                " status, state_share, ocmw_share, patient_share, reasons, urgent_medical_aid,"
                " payment_reference) VALUES ('inv-1', 1, '2026-10-30', '101032', 3351,"
                " 'accepted', 2951, 400, 0, '[]', 0, 'PAY-1')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO payments VALUES ('PAY-1', 'run-1', '10000000001', 'inv-1', 3351,"
                " '2026-11-02 08:00:00')"
            )
        )

    await _to(database, HEAD)

    async with database.engine.connect() as connection:
        line = (await connection.execute(text("SELECT provider, ssin FROM invoice_lines"))).one()
        provider_payments = (
            await connection.execute(
                text("SELECT payment_reference, provider, amount FROM provider_payments")
            )
        ).all()
        invoice_payments = (
            await connection.execute(
                text("SELECT payment_reference, invoice_id FROM invoice_payments")
            )
        ).all()
    assert tuple(line) == ("10000000001", "85073003328")
    assert [tuple(row) for row in provider_payments] == [("PAY-1", "10000000001", 3351)]
    assert [tuple(row) for row in invoice_payments] == [("PAY-1", "inv-1")]

    await _to(database, SKELETON, down=True)
    await _to(database, HEAD)
    await database.dispose()
