"""I-05: each paid line records how long after submission it was paid; /metrics and the monthly
report, computed by the database (SQLite and PostgreSQL), show it against the targets (under 4
days on average, at most 8)."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from invoicing.invoices.models import InvoiceLine
from invoicing.payments.delays import payment_delays
from invoicing.payments.service import run_payments
from mediprima_contracts.testing.factories import random_gp_riziv
from mediprima_contracts.values import YearMonth
from servicekit.testing import TokenFactory

from ..support import Gp, accepted, invoice_body, new_ssin, operator, submit_and_adjudicate
from .seeding import BACKENDS, add_invoice, invoicing_database

PAID_AT = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_i05_a_months_delays_are_averaged_ranked_and_held_to_the_targets(
    backend: str, tmp_path: Path
) -> None:
    async with invoicing_database(backend, tmp_path) as database:
        async with database.transaction() as session:
            provider = random_gp_riziv()
            # Two accepted lines each, submitted 1, 3 and 10 days (and 10 days 1 hour) earlier.
            for waited in (timedelta(days=1), timedelta(days=3), timedelta(days=10, hours=1)):
                add_invoice(session, provider, submitted_at=PAID_AT - waited)
        await run_payments(database, clock=lambda: PAID_AT)

        async with database.reading() as session:
            delays = sorted(
                await session.scalars(
                    select(InvoiceLine.payment_delay_seconds).where(
                        InvoiceLine.payment_delay_seconds.is_not(None)
                    )
                )
            )
            november = await payment_delays(session, month=YearMonth("2026-11"))
            december = await payment_delays(session, month=YearMonth("2026-12"))

    assert delays == [86_400] * 2 + [3 * 86_400] * 2 + [10 * 86_400 + 3_600] * 2
    assert november.model_dump(mode="json") == {
        "month": "2026-11",
        "lines": 6,
        "average_days": "4.68",  # (1 + 3 + 10.0417) / 3 = 4.6806, half up
        "p95_days": "10.04",  # the 6th of 6 (nearest rank: ceil(0.95 x 6))
        "target_average_days": 4,
        "target_max_days": 8,
        "average_within_target": False,
        "lines_over_max": 2,
    }
    assert december.lines == 0
    assert december.average_days is None


async def test_i05_the_report_and_metrics_over_http(
    client: httpx.AsyncClient, tokens: TokenFactory, tmp_path: Path
) -> None:
    gp = Gp.new(tokens)
    await submit_and_adjudicate(client, tmp_path, gp, invoice_body(new_ssin()), [accepted()])
    run = await client.post("/v1/payment-runs", headers=operator(tokens))
    month = run.json()["payments"][0]["paid_at"][:7]

    report = await client.get(
        "/v1/payment-delays", params={"month": month}, headers=operator(tokens)
    )
    metrics = await client.get("/metrics")

    assert report.status_code == 200, report.text
    assert report.json()["lines"] == 1
    assert report.json()["average_days"] == report.json()["p95_days"] == "0.00"
    assert report.json()["average_within_target"] is True
    assert report.json()["lines_over_max"] == 0
    assert 'mediprima_invoicing_payment_delay_days_bucket{le="0.5"}' in metrics.text


async def test_i05_a_month_without_payments_has_no_figures(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    report = await client.get(
        "/v1/payment-delays", params={"month": "2020-02"}, headers=operator(tokens)
    )

    assert report.json() == {
        "month": "2020-02",
        "lines": 0,
        "average_days": None,
        "p95_days": None,
        "target_average_days": 4,
        "target_max_days": 8,
        "average_within_target": None,
        "lines_over_max": 0,
    }


async def test_i05_the_delay_report_is_for_operators_and_needs_a_month(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    by_gp = await client.get(
        "/v1/payment-delays", params={"month": "2026-11"}, headers=Gp.new(tokens).headers
    )
    bad_month = await client.get(
        "/v1/payment-delays", params={"month": "2026-13"}, headers=operator(tokens)
    )
    missing = await client.get("/v1/payment-delays", headers=operator(tokens))

    assert by_gp.status_code == 403
    assert bad_month.status_code == missing.status_code == 422
    assert [p["field"] for p in bad_month.json()["errors"]] == ["month"]
