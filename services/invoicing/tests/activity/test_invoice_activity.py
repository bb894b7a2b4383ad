"""The operators' chart of the payer's work: invoices received and paid per UTC day, counted by
the database (SQLite and PostgreSQL), every day of the range, however many invoices."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from invoicing.activity import repository
from invoicing.payments.service import run_payments
from mediprima_contracts.testing.factories import random_gp_riziv
from servicekit.testing import TokenFactory

from ..payment_runs.seeding import BACKENDS, add_invoice, invoicing_database
from ..support import Gp, operator

PAID_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_invoices_are_counted_on_the_utc_day_they_were_received_and_paid(
    backend: str, tmp_path: Path
) -> None:
    async with invoicing_database(backend, tmp_path) as database:
        async with database.transaction() as session:
            provider = random_gp_riziv()
            for submitted_at in (
                datetime(2026, 11, 18, 23, 59, 59, tzinfo=UTC),
                datetime(2026, 11, 19, 0, 0, tzinfo=UTC),
                datetime(2026, 11, 19, 12, 0, tzinfo=UTC),
                # 00:30 in Brussels on the 20th, still the 19th in UTC
                datetime(2026, 11, 19, 23, 30, tzinfo=UTC),
            ):
                add_invoice(session, provider, submitted_at=submitted_at)
        await run_payments(database, clock=lambda: PAID_AT)
        since = datetime(2026, 11, 17, tzinfo=UTC)
        before = datetime(2026, 11, 21, tzinfo=UTC)
        async with database.reading() as session:
            received = await repository.received_per_day(session, since=since, before=before)
            paid = await repository.paid_per_day(session, since=since, before=before)
            later = await repository.paid_per_day(
                session, since=before, before=before + timedelta(days=7)
            )

    assert dict(received) == {date(2026, 11, 18): 1, date(2026, 11, 19): 3}
    assert dict(paid) == {date(2026, 11, 20): 4}
    assert dict(later) == {}


async def test_an_operator_gets_every_day_of_the_range_with_the_quiet_days_at_zero(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    today = datetime.now(UTC).date()

    response = await client.get(
        "/v1/invoice-activity",
        params={"from": (today - timedelta(days=6)).isoformat(), "to": today.isoformat()},
        headers=operator(tokens),
    )

    assert response.status_code == 200, response.text
    body = response.json()
    assert [day["day"] for day in body["days"]] == [
        (today - timedelta(days=6 - n)).isoformat() for n in range(7)
    ]
    assert all(day["received"] == day["paid"] == 0 for day in body["days"])


@pytest.mark.parametrize(
    ("first", "last"),
    [("2026-11-30", "2026-11-01"), ("2025-01-01", "2026-01-02")],
    ids=["backwards", "over-366-days"],
)
async def test_a_range_backwards_or_longer_than_a_year_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory, first: str, last: str
) -> None:
    response = await client.get(
        "/v1/invoice-activity", params={"from": first, "to": last}, headers=operator(tokens)
    )

    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "activity.range"


async def test_a_gp_may_not_read_the_payers_activity(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    gp = Gp.new(tokens)
    response = await client.get(
        "/v1/invoice-activity",
        params={"from": "2026-11-01", "to": "2026-11-30"},
        headers=gp.headers,
    )

    assert response.status_code == 403
