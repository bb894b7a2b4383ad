"""Migration 10f0c0000007: payments made before recoveries existed transferred exactly what
their lines were owed (nothing recovered, nothing owed back), and it downgrades cleanly; on
SQLite and PostgreSQL."""

from sqlalchemy import inspect, text

from servicekit.db import Database

from .migrating import PROVIDER, database, to_revision

__all__ = ["database"]  # the fixture

BEFORE, HEAD = "10f0c0000006", "10f0c0000007"


async def test_i05_payments_from_before_recovered_nothing(database: Database) -> None:
    await to_revision(database, BEFORE)
    async with database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO provider_payments (payment_reference, run_id, provider, amount,"
                " paid_at) VALUES ('PAY-1', 'run-1', :provider, 3351, '2026-11-05 00:30:00')"
            ),
            {"provider": PROVIDER},
        )

    await to_revision(database, HEAD)

    async with database.engine.connect() as connection:
        row = (
            await connection.execute(
                text("SELECT amount, lines_amount, recovered, balance_owed FROM provider_payments")
            )
        ).one()
    assert tuple(row) == (3351, 3351, 0, 0)

    await to_revision(database, BEFORE, down=True)
    async with database.engine.connect() as connection:
        tables, columns = await connection.run_sync(
            lambda sync: (
                set(inspect(sync).get_table_names()),
                {column["name"] for column in inspect(sync).get_columns("provider_payments")},
            )
        )
    assert not {"recoveries", "recovery_offsets"} & tables
    assert "lines_amount" not in columns
    await to_revision(database, HEAD)
