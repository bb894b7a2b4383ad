"""Operators start payment runs and follow them in the console, against the real invoicing
service (in process, on its own SQLite database): the console keeps nothing of its own."""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from sqlalchemy import update

from console.backends import Backends
from console.main import create_app
from console.settings import ConsoleSettings
from invoicing.invoices.models import Invoice, InvoiceLine
from invoicing.invoices.statuses import InvoiceStatus, LineStatus
from invoicing.main import service as invoicing_service
from invoicing.payments.models import PaymentRun
from mediprima_contracts.testing.factories import (
    random_enterprise_number,
    random_gp_riziv,
    random_ssin,
)
from servicekit.db import Database
from servicekit.settings import LOCAL_AUDIENCE, LOCAL_ISSUER
from servicekit.testing import TokenFactory, embedded_settings, running_service

from .signing_in import csrf_of, sign_in

POLLING = 'hx-trigger="every 1s"'
RUN_PAGE = re.compile(r"^/operator/payment-runs/([0-9a-f-]{36})$")


@dataclass(frozen=True)
class Platform:
    console_app: object
    invoicing: Database

    def browser(self) -> httpx.AsyncClient:
        """A browser of its own (its own session cookie) on the console."""
        transport = httpx.ASGITransport(app=self.console_app)  # type: ignore[arg-type]
        return httpx.AsyncClient(transport=transport, base_url="http://console")

    async def invoice_to_pay(self, provider: str) -> None:
        """An adjudicated invoice of one accepted line owing 33.51 (state and OCMW shares)."""
        invoice_id, ssin, now = str(uuid.uuid4()), str(random_ssin()), datetime.now(UTC)
        async with self.invoicing.transaction() as session:
            session.add(
                Invoice(
                    invoice_id=invoice_id,
                    provider=provider,
                    ssin=ssin,
                    issued_on=now.date(),
                    status=InvoiceStatus.ACCEPTED,
                    submitted_at=now,
                    idempotency_key=invoice_id,
                    request_hash="0" * 64,
                )
            )
            session.add(
                InvoiceLine(
                    invoice_id=invoice_id,
                    line_number=1,
                    date_of_care=now.date() - timedelta(days=3),
                    code="101032",
                    amount=Decimal("33.51"),
                    status=LineStatus.ACCEPTED,
                    state_share=Decimal("29.51"),
                    ocmw_share=Decimal("4.00"),
                    patient_share=Decimal("0.00"),
                    reasons=[],
                    decision_number="1234567",
                    version=1,
                    ocmw=str(random_enterprise_number()),
                    urgent_medical_aid=False,
                    provider=provider,
                    ssin=ssin,
                    person_key=f"ssin:{ssin}",
                )
            )

    async def run_in_flight(self, *, to_pay: int, paid: int) -> str:
        """A run invoicing is still paying (or that crashed halfway, not resumed yet)."""
        run_id = str(uuid.uuid4())
        async with self.invoicing.transaction() as session:
            session.add(
                PaymentRun(
                    run_id=run_id,
                    started_at=datetime.now(UTC),
                    status="running",
                    providers_to_pay=to_pay,
                    providers_paid=paid,
                    paid_invoices=paid,
                    amount=Decimal("33.51") * paid,
                )
            )
        return run_id

    async def finish(self, run_id: str) -> None:
        async with self.invoicing.transaction() as session:
            await session.execute(
                update(PaymentRun)
                .where(PaymentRun.run_id == run_id)
                .values(status="finished", finished_at=datetime.now(UTC))
            )


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    """The console with the invoicing service behind it, trusting the console's local tokens."""
    tokens = TokenFactory.create(tmp_path / "keys")
    tokens = TokenFactory(tokens.keys_dir, issuer=LOCAL_ISSUER, audience=LOCAL_AUDIENCE)
    settings = embedded_settings(invoicing_service, tmp_path, tokens)
    console_settings = ConsoleSettings(var_dir=tmp_path, port_offset=40_000)
    async with running_service(invoicing_service, settings) as invoicing:
        app = create_app(console_settings)
        async with LifespanManager(app) as manager:
            await app.state.backends.close()
            app.state.backends = Backends(
                console_settings.service_urls, timeout=10.0, clients={"invoicing": invoicing}
            )
            database = Database(settings.database_url)
            try:
                yield Platform(manager.app, database)
            finally:
                await database.dispose()


async def test_an_operator_starts_a_run_and_sees_what_each_provider_was_paid(
    platform: Platform,
) -> None:
    providers = sorted(str(random_gp_riziv()) for _ in range(2))
    for provider in providers:
        await platform.invoice_to_pay(provider)
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        before = await browser.get("/operator/payment-runs")

        started = await browser.post("/operator/payment-runs", data={"csrf_token": csrf_of(before)})

        assert "No payment run yet." in before.text
        assert started.status_code == 303
        found = RUN_PAGE.match(started.headers["location"])
        assert found, started.headers["location"]
        # The in-process service pays before it answers; over HTTP the page polls meanwhile.
        run = await browser.get(started.headers["location"])
        assert run.status_code == 200
        assert 'data-status="finished"' in run.text
        assert POLLING not in run.text
        assert '<strong class="providers-paid">2</strong>' in run.text
        for provider in providers:
            assert re.search(
                rf"<td>{provider}</td><td>PAY-[0-9]{{8}}-[0-9A-F]{{12}}</td>", run.text
            )
        assert run.text.count(">33.51</td>") == 4  # lines and transferred, per provider
        listed = await browser.get("/operator/payment-runs")
        row = re.search(rf'<tr data-run="{found.group(1)}">.*?</tr>', listed.text, re.S)
        assert row, listed.text
        assert "2 / 2" in row.group(0)
        assert "67.02" in row.group(0)
        assert "Paying now" not in listed.text


async def test_a_run_started_from_htmx_sends_the_browser_to_the_runs_page(
    platform: Platform,
) -> None:
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")
        form = await browser.get("/operator/payment-runs")

        started = await browser.post(
            "/operator/payment-runs",
            data={"csrf_token": csrf_of(form)},
            headers={"HX-Request": "true"},
        )

    assert started.status_code == 204
    assert RUN_PAGE.match(started.headers["HX-Redirect"])


async def test_a_run_still_paying_is_followed_live_by_every_operator_until_it_finishes(
    platform: Platform,
) -> None:
    run_id = await platform.run_in_flight(to_pay=3, paid=1)
    progress = f"/operator/payment-runs/{run_id}/progress"
    async with platform.browser() as first, platform.browser() as second:
        await sign_in(first, "operator", "operator-1")
        await sign_in(second, "operator", "operator-2")

        listed = await second.get("/operator/payment-runs")
        page = await first.get(f"/operator/payment-runs/{run_id}")
        polled = await first.get(progress)
        await platform.finish(run_id)
        last = await first.get(progress)

    assert "Paying now" in listed.text
    assert f'hx-get="{progress}"' in listed.text
    for shown in (page, polled):
        assert f'hx-get="{progress}"' in shown.text
        assert POLLING in shown.text
        assert '<strong class="providers-paid">1</strong>' in shown.text
        assert '<strong class="providers-to-pay">3</strong>' in shown.text
        assert '<dd class="status">running</dd>' in shown.text
    assert "<html" not in polled.text  # the fragment alone, swapped in place
    assert '<dd class="status">finished</dd>' in last.text
    assert POLLING not in last.text  # finished: the page stops asking


async def test_a_second_operator_starting_a_run_joins_the_one_already_paying(
    platform: Platform,
) -> None:
    run_id = await platform.run_in_flight(to_pay=1, paid=0)
    await platform.invoice_to_pay(str(random_gp_riziv()))
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-2")
        form = await browser.get("/operator/payment-runs")

        started = await browser.post("/operator/payment-runs", data={"csrf_token": csrf_of(form)})
        run = await browser.get(started.headers["location"])

    assert started.headers["location"] == f"/operator/payment-runs/{run_id}"
    assert 'data-status="finished"' in run.text
    assert '<strong class="providers-paid">1</strong>' in run.text


async def test_an_unknown_run_is_a_404_page(platform: Platform) -> None:
    async with platform.browser() as browser:
        await sign_in(browser, "operator", "operator-1")

        unknown = await browser.get(f"/operator/payment-runs/{uuid.uuid4()}")
        malformed = await browser.get("/operator/payment-runs/not-a-run")

    assert unknown.status_code == 404
    assert "I-05 payment_run.not_found" in unknown.text
    assert malformed.status_code == 422  # never passed on to invoicing


async def test_a_gp_cannot_open_payment_runs(console: httpx.AsyncClient) -> None:
    await sign_in(console, "gp", "10000000003")
    run = uuid.uuid4()

    for path in (
        "/operator/payment-runs",
        f"/operator/payment-runs/{run}",
        f"/operator/payment-runs/{run}/progress",
    ):
        assert (await console.get(path)).status_code == 403
