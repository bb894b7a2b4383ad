"""Migration 10f0c0000003 keys accepted care by the person: existing lines get `ssin:<number>`
(pricing named no one yet), the unique index moves to the person key and still refuses a second
accepted line for the same care, and it downgrades cleanly; on SQLite and PostgreSQL."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError

from invoicing.main import service
from servicekit.db import Database
from servicekit.migrations import alembic_config
from servicekit.testing import postgres_database

BEFORE, HEAD = "10f0c0000002", "10f0c0000003"
PROVIDER, SSIN, PERSON = "10000000001", "85073003328", "P" + "a" * 32

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


async def _to(database: Database, revision: str, *, down: bool = False) -> None:
    def run(connection: Connection) -> None:
        config = alembic_config(service.migrations, database.url)
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)

    async with database.engine.connect() as connection:
        await connection.run_sync(run)
        await connection.commit()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        database = Database(f"sqlite+aiosqlite:///{tmp_path / 'invoicing.db'}")
        yield database
        await database.dispose()
        return
    async with postgres_database("inv_mig") as url:
        database = Database(url)
        yield database
        await database.dispose()


async def _invoice_with_line(
    database: Database, invoice_id: str, status: str, *, person_key: str | None = None
) -> None:
    extra = {"extra_columns": "", "extra_values": ""}
    values = {"invoice_id": invoice_id, "provider": PROVIDER, "ssin": SSIN, "status": status}
    if person_key is not None:
        extra = {"extra_columns": ", person_key", "extra_values": ", :person_key"}
        values["person_key"] = person_key
    async with database.engine.begin() as connection:
        await connection.execute(text(_INVOICE), values)
        await connection.execute(text(_LINE.format(**extra)), values)


async def test_i02_existing_lines_are_keyed_by_their_number_and_stay_unique(
    database: Database,
) -> None:
    await _to(database, BEFORE)
    await _invoice_with_line(database, "inv-accepted", "accepted")
    await _invoice_with_line(database, "inv-rejected", "rejected")

    await _to(database, HEAD)

    async with database.engine.connect() as connection:
        keys = (
            await connection.execute(
                text("SELECT invoice_id, person_key FROM invoice_lines ORDER BY invoice_id")
            )
        ).all()
        people = (await connection.execute(text("SELECT person_id FROM invoices"))).scalars()
        assert set(people) == {None}
    assert [tuple(row) for row in keys] == [
        ("inv-accepted", f"ssin:{SSIN}"),
        ("inv-rejected", f"ssin:{SSIN}"),
    ]
    # The same care for the same person key, accepted a second time, is refused by the index;
    # a rejected line and the same care for a named person are not in its way.
    with pytest.raises(IntegrityError):
        await _invoice_with_line(database, "inv-twin", "accepted", person_key=f"ssin:{SSIN}")
    await _invoice_with_line(database, "inv-rejected-2", "rejected", person_key=f"ssin:{SSIN}")
    await _invoice_with_line(database, "inv-person", "accepted", person_key=PERSON)
    with pytest.raises(IntegrityError):
        await _invoice_with_line(database, "inv-person-2", "accepted", person_key=PERSON)

    # Keyed by number again, the named person's line would be a second accepted line for SSIN.
    async with database.engine.begin() as connection:
        await connection.execute(
            text("DELETE FROM invoice_lines WHERE person_key = :person"), {"person": PERSON}
        )
    await _to(database, BEFORE, down=True)
    async with database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: [column["name"] for column in inspect(sync).get_columns("invoice_lines")]
        )
    assert "person_key" not in columns
    with pytest.raises(IntegrityError):
        await _invoice_with_line(database, "inv-twin-before", "accepted")
    await _to(database, HEAD)
