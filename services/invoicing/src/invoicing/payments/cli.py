"""`mediprima payments run`: the operator's payment run from the command line."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from invoicing.payments.schemas import PaymentRunView
from invoicing.payments.service import run_payments
from invoicing.settings import InvoicingSettings
from servicekit.db import Database

app = typer.Typer(help="Payments to providers (invoicing).", no_args_is_help=True)


@app.callback()
def payments() -> None:
    """Payments to providers (invoicing)."""


@app.command("run")
def run(
    database_url: Annotated[
        str | None, typer.Option(help="Invoicing database (default: MEDIPRIMA_DATABASE_URL)")
    ] = None,
) -> None:
    """Pay every accepted, unpaid line: one payment per provider, each line exactly once.

    Safe to run again or after a crash: an unfinished run is resumed, paid lines are skipped.
    The `InvoicePaid` events wait in the outbox for the running service's relay.
    """
    url = database_url or InvoicingSettings().database_url
    result = asyncio.run(_run(url))
    typer.echo(result.model_dump_json(indent=2))


async def _run(url: str) -> PaymentRunView:
    database = Database(url)
    try:
        return await run_payments(database)
    finally:
        await database.dispose()
