"""I-05: payment runs start on the configured schedule inside the service, one instance per
slot (SQLite and PostgreSQL), and not at all when the schedule is empty."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import ValidationError
from sqlalchemy import select

from invoicing.main import service
from invoicing.payments.models import PaymentRun
from invoicing.settings import InvoicingSettings
from servicekit.db import Database
from servicekit.service import create_app
from servicekit.testing import TokenFactory, embedded_settings, migrate, postgres_database

from ..support import Gp, accepted, eventually, invoice_body, new_ssin, submit_and_adjudicate
from .seeding import BACKENDS

EVERY_SECOND = "* * * * * *"


@asynccontextmanager
async def instance(settings: InvoicingSettings) -> AsyncIterator[httpx.AsyncClient]:
    """One instance of the service; its schedule stops with it."""
    app = create_app(service, settings)
    async with LifespanManager(app, startup_timeout=60, shutdown_timeout=30) as manager:
        transport = httpx.ASGITransport(app=manager.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://invoicing") as http:
            yield http


def settings_for(
    tmp_path: Path, tokens: TokenFactory, schedule: str, **overrides: Any
) -> InvoicingSettings:
    settings = embedded_settings(
        service, tmp_path, tokens, payment_run_schedule=schedule, **overrides
    )
    assert isinstance(settings, InvoicingSettings)
    return settings


async def test_i05_accepted_lines_are_paid_on_the_schedule_without_anyone_asking(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    settings = settings_for(tmp_path, tokens, EVERY_SECOND)
    await migrate(service, settings.database_url)
    async with instance(settings) as client:
        gp = Gp.new(tokens)
        invoice = await submit_and_adjudicate(
            client, tmp_path, gp, invoice_body(new_ssin()), [accepted()]
        )

        async def seen() -> dict[str, Any]:
            response = await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=gp.headers)
            body: dict[str, Any] = response.json()
            return body

        paid = await eventually(seen, lambda body: body["status"] == "paid")

    assert paid["status"] == "paid"
    assert paid["payment"]["amount"] == "33.51"


async def test_i05_an_empty_schedule_turns_scheduled_runs_off(
    tmp_path: Path, tokens: TokenFactory
) -> None:
    settings = settings_for(tmp_path, tokens, "")
    await migrate(service, settings.database_url)
    async with instance(settings) as client:
        gp = Gp.new(tokens)
        invoice = await submit_and_adjudicate(
            client, tmp_path, gp, invoice_body(new_ssin()), [accepted()]
        )
        await asyncio.sleep(2.5)
        seen = await client.get(f"/v1/invoices/{invoice['invoice_id']}", headers=gp.headers)

    assert seen.json()["status"] == "accepted"


@pytest.mark.parametrize("schedule", ["daily", "0 25 * * *"])
def test_i05_a_schedule_that_is_not_cron_is_refused_at_start(schedule: str) -> None:
    with pytest.raises(ValidationError, match="not a cron expression"):
        InvoicingSettings(payment_run_schedule=schedule)


@pytest.mark.parametrize("backend", BACKENDS)
async def test_i05_two_instances_run_each_scheduled_slot_once(
    backend: str, tmp_path: Path, tokens: TokenFactory
) -> None:
    async with AsyncExitStack() as stack:
        settings = settings_for(tmp_path, tokens, EVERY_SECOND)
        if backend == "postgres":
            url = await stack.enter_async_context(postgres_database("inv_sched"))
            settings = settings.model_copy(update={"database_url": url})
        await migrate(service, settings.database_url)
        quiet = settings.model_copy(update={"run_consumers": False, "run_relay": False})
        async with instance(settings), instance(quiet):
            await asyncio.sleep(4)

        database = Database(settings.database_url)
        try:
            async with database.transaction() as session:
                started = list(await session.scalars(select(PaymentRun.started_at)))
        finally:
            await database.dispose()

    seconds = [moment.replace(microsecond=0) for moment in started]
    assert len(seconds) >= 2  # the schedule ran
    assert len(seconds) == len(set(seconds))  # never twice for one slot
