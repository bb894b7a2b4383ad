"""Migration 10f0c0000003 keys accepted care by the person: existing lines get `ssin:<number>`
(pricing named no one yet), the unique index moves to the person key and still refuses a second
accepted line for the same care, and it downgrades cleanly; on SQLite and PostgreSQL."""

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from servicekit.db import Database

from .migrating import SSIN, database, invoice_with_line, to_revision

__all__ = ["database"]  # the fixture

BEFORE, HEAD = "10f0c0000002", "10f0c0000003"
PERSON = "P" + "a" * 32


async def test_i02_existing_lines_are_keyed_by_their_number_and_stay_unique(
    database: Database,
) -> None:
    await to_revision(database, BEFORE)
    await invoice_with_line(database, "inv-accepted", "accepted")
    await invoice_with_line(database, "inv-rejected", "rejected")

    await to_revision(database, HEAD)

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
        await invoice_with_line(database, "inv-twin", "accepted", person_key=f"ssin:{SSIN}")
    await invoice_with_line(database, "inv-rejected-2", "rejected", person_key=f"ssin:{SSIN}")
    await invoice_with_line(database, "inv-person", "accepted", person_key=PERSON)
    with pytest.raises(IntegrityError):
        await invoice_with_line(database, "inv-person-2", "accepted", person_key=PERSON)

    # Keyed by number again, the named person's line would be a second accepted line for SSIN.
    async with database.engine.begin() as connection:
        await connection.execute(
            text("DELETE FROM invoice_lines WHERE person_key = :person"), {"person": PERSON}
        )
    await to_revision(database, BEFORE, down=True)
    async with database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: [column["name"] for column in inspect(sync).get_columns("invoice_lines")]
        )
    assert "person_key" not in columns
    with pytest.raises(IntegrityError):
        await invoice_with_line(database, "inv-twin-before", "accepted")
    await to_revision(database, HEAD)
