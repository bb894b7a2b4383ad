"""Migration payments0001: runs made before progress was recorded count the providers their
ledger shows paid, and it downgrades cleanly; on SQLite and PostgreSQL."""

from sqlalchemy import inspect, text

from servicekit.db import Database

from .migrating import PROVIDER, database, to_revision

__all__ = ["database"]  # the fixture

BEFORE, HEAD = "deadletters0001", "payments0001"
_RUN = (
    "INSERT INTO payment_runs (run_id, started_at, status, finished_at, paid_invoices, amount)"
    " VALUES (:run_id, '2026-11-05 00:30:00+00', 'finished', '2026-11-05 00:31:00+00', 2, 7000)"
)
_PAYMENT = (
    "INSERT INTO provider_payments (payment_reference, run_id, provider, amount, lines_amount,"
    " recovered, balance_owed, paid_at) VALUES (:reference, 'run-1', :provider, 3500, 3500, 0,"
    " 0, '2026-11-05 00:30:30+00')"
)


async def test_i05_earlier_runs_count_the_providers_they_paid(database: Database) -> None:
    await to_revision(database, BEFORE)
    async with database.engine.begin() as connection:
        for run_id in ("run-1", "run-2"):
            await connection.execute(text(_RUN), {"run_id": run_id})
        for reference, provider in (("PAY-1", PROVIDER), ("PAY-2", "10000000002")):
            await connection.execute(text(_PAYMENT), {"reference": reference, "provider": provider})

    await to_revision(database, HEAD)

    async with database.engine.connect() as connection:
        counted = (
            await connection.execute(
                text(
                    "SELECT run_id, providers_to_pay, providers_paid FROM payment_runs"
                    " ORDER BY run_id"
                )
            )
        ).all()
    assert [tuple(row) for row in counted] == [("run-1", 2, 2), ("run-2", 0, 0)]
    async with database.engine.connect() as connection:
        moved_when_finished = await connection.scalar(
            text("SELECT count(*) FROM payment_runs WHERE progressed_at = finished_at")
        )
    assert moved_when_finished == 2

    await to_revision(database, BEFORE, down=True)

    async with database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {column["name"] for column in inspect(sync).get_columns("payment_runs")}
        )
    assert "providers_paid" not in columns
    assert "providers_to_pay" not in columns
    assert "progressed_at" not in columns
