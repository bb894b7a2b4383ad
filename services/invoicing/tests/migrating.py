"""Moving a test database between this service's revisions, and rows written in plain SQL."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from invoicing.main import service
from servicekit.db import Database
from servicekit.testing import move_to_revision, postgres_database

PROVIDER, SSIN = "10000000001", "85073003328"

_INVOICE = (
    "INSERT INTO invoices (invoice_id, provider, ssin, agreement_number, status, submitted_at,"
    " idempotency_key, request_hash) VALUES (:invoice_id, :provider, :ssin, NULL, :status,"
    " '2026-11-01 10:00:00+00', :invoice_id, 'hash')"
)
_LINE = (
    "INSERT INTO invoice_lines (invoice_id, line_number, date_of_care, code, amount, status,"
    " state_share, ocmw_share, patient_share, reasons, urgent_medical_aid, provider, ssin"
    "{extra_columns}) VALUES (:invoice_id, 1, '2026-10-30', '101032', 3351, :status, 2951, 400,"
    " 0, '[]', false, :provider, :ssin{extra_values})"
)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    """An empty database to migrate step by step, on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'invoicing.db'}")
        yield database
        await database.dispose()
        return
    async with postgres_database("inv_mig") as url:
        database = Database(url)
        yield database
        await database.dispose()


async def to_revision(database: Database, revision: str, *, down: bool = False) -> None:
    await move_to_revision(service, database, revision, down=down)


async def invoice_with_line(
    database: Database, invoice_id: str, status: str, *, person_key: str | None = None
) -> None:
    """An invoice of one line for SSIN on 30 October 2026; `person_key` from revision 0003."""
    extra = {"extra_columns": "", "extra_values": ""}
    values = {"invoice_id": invoice_id, "provider": PROVIDER, "ssin": SSIN, "status": status}
    if person_key is not None:
        extra = {"extra_columns": ", person_key", "extra_values": ", :person_key"}
        values["person_key"] = person_key
    async with database.engine.begin() as connection:
        await connection.execute(text(_INVOICE), values)
        await connection.execute(text(_LINE.format(**extra)), values)
