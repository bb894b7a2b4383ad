"""Migration 10f0c0000004 adds the optional admission date to every line, empty for the lines
received before, and downgrades keeping the lines."""

from pathlib import Path

from sqlalchemy import text

from servicekit.db import Database

from .migrating import invoice_with_line, to_revision

BEFORE, HEAD = "10f0c0000003", "10f0c0000004"


async def test_i01_lines_received_before_have_no_admission_date(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'invoicing.db'}")
    try:
        await to_revision(database, BEFORE)
        await invoice_with_line(database, "inv-1", "accepted", person_key="ssin:85073003328")

        await to_revision(database, HEAD)
        async with database.engine.begin() as connection:
            before = (
                await connection.execute(text("SELECT admission_date FROM invoice_lines"))
            ).scalar_one()
            await connection.execute(text("UPDATE invoice_lines SET admission_date = '2026-10-28'"))
        await to_revision(database, BEFORE, down=True)
        async with database.engine.connect() as connection:
            kept = (await connection.execute(text("SELECT invoice_id FROM invoice_lines"))).all()

        assert before is None
        assert [tuple(row) for row in kept] == [("inv-1",)]
        await to_revision(database, HEAD)
    finally:
        await database.dispose()
