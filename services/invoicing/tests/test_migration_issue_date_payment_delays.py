"""Migration 10f0c0000005: invoices received before it are issued on their submission day (C-02),
lines paid before it get their payment time and submission-to-payment delay (I-05), and it
downgrades cleanly; on SQLite and PostgreSQL."""

from datetime import UTC, datetime

from sqlalchemy import inspect, text

from servicekit.db import Database

from .migrating import PROVIDER, SSIN, database, to_revision

__all__ = ["database"]  # the fixture

BEFORE, HEAD = "10f0c0000004", "10f0c0000005"


def moment(database: Database, day_and_time: str) -> str | datetime:
    """A UTC timestamp as each driver takes it: SQLite stores the text the service writes."""
    parsed = datetime.fromisoformat(day_and_time).replace(tzinfo=UTC)
    return f"{day_and_time}.000000" if database.is_sqlite else parsed


async def seed(database: Database) -> None:
    """Two invoices submitted 1 November 2026 at 22:30 UTC: one paid 3 days and 2 hours later,
    one not paid."""
    submitted = moment(database, "2026-11-01 22:30:00")
    paid = moment(database, "2026-11-05 00:30:00")
    async with database.engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO provider_payments (payment_reference, run_id, provider, amount,"
                " paid_at) VALUES ('PAY-1', 'run-1', :provider, 3351, :paid)"
            ),
            {"provider": PROVIDER, "paid": paid},
        )
        for invoice_id, reference in (("inv-paid", "PAY-1"), ("inv-open", None)):
            await connection.execute(
                text(
                    "INSERT INTO invoices (invoice_id, provider, ssin, status, submitted_at,"
                    " idempotency_key, request_hash) VALUES (:invoice_id, :provider, :ssin,"
                    " 'accepted', :submitted, :invoice_id, 'hash')"
                ),
                {
                    "invoice_id": invoice_id,
                    "provider": PROVIDER,
                    "ssin": SSIN,
                    "submitted": submitted,
                },
            )
            await connection.execute(
                text(
                    "INSERT INTO invoice_lines (invoice_id, line_number, date_of_care, code,"
                    " amount, status, state_share, ocmw_share, patient_share, reasons,"
                    " urgent_medical_aid, provider, ssin, person_key, payment_reference) VALUES"
                    " (:invoice_id, 1, '2026-10-30', :code, 3351, 'accepted', 2951, 400, 0,"
                    " '[]', false, :provider, :ssin, :key, :reference)"
                ),
                {
                    "invoice_id": invoice_id,
                    "provider": PROVIDER,
                    "ssin": SSIN,
                    "key": f"ssin:{SSIN}",
                    "reference": reference,
                    "code": "101032" if reference else "102771",
                },
            )


async def test_c02_i05_invoices_and_payments_from_before_get_their_day_and_delay(
    database: Database,
) -> None:
    await to_revision(database, BEFORE)
    await seed(database)

    await to_revision(database, HEAD)

    async with database.engine.connect() as connection:
        issued = dict(
            (await connection.execute(text("SELECT invoice_id, issued_on FROM invoices"))).all()
        )
        delays = dict(
            (
                await connection.execute(
                    text("SELECT invoice_id, payment_delay_seconds FROM invoice_lines")
                )
            ).all()
        )
        paid_at = (
            await connection.execute(
                text("SELECT paid_at FROM invoice_lines WHERE invoice_id = 'inv-paid'")
            )
        ).scalar_one()
    assert {key: str(value) for key, value in issued.items()} == {
        "inv-paid": "2026-11-01",
        "inv-open": "2026-11-01",
    }
    assert delays == {"inv-paid": 3 * 86400 + 2 * 3600, "inv-open": None}
    assert str(paid_at).startswith("2026-11-05 00:30:00")

    await to_revision(database, BEFORE, down=True)
    async with database.engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: {
                table: {column["name"] for column in inspect(sync).get_columns(table)}
                for table in ("invoices", "invoice_lines")
            }
        )
    assert not {"issued_on", "corrects_invoice_id"} & columns["invoices"]
    assert not {"paid_at", "payment_delay_seconds", "health_fund_share"} & columns["invoice_lines"]
    await to_revision(database, HEAD)
