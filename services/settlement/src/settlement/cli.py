"""`mediprima settlements …`: operators run and close a month from a shell, against the
service's own database (MEDIPRIMA_DATABASE_URL), with a progress bar over the month's lines."""

from __future__ import annotations

import asyncio
import re
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from servicekit.db import Database
from servicekit.errors import ServiceError
from settlement.settings import SettlementSettings
from settlement.settlements import service
from settlement.settlements.schemas import SettlementView

app = typer.Typer(help="Monthly settlements with the funder and every OCMW.", no_args_is_help=True)
console = Console()


class _Bar:
    """A run's progress as a rich bar: lines written into the files."""

    def __init__(self, progress: Progress, month: str) -> None:
        self._progress = progress
        self._task = progress.add_task(f"settling {month}", total=None)

    def start(self, total: int) -> None:
        self._progress.update(self._task, total=total)

    def advance(self, lines: int) -> None:
        self._progress.advance(self._task, lines)


@app.command()
def run(month: Annotated[str, typer.Argument(help="The month paid, YYYY-MM")]) -> None:
    """Compute (or recompute, while open) the month, write and reconcile its files (S-01..S-04)."""
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", month):
        raise typer.BadParameter("the month is YYYY-MM, e.g. 2026-11")
    view = asyncio.run(_run(month))
    _report(view)


@app.command()
def close(
    settlement_id: Annotated[str, typer.Argument(help="Id of the month's settlement")],
) -> None:
    """Recompute, reconcile and freeze the month; publishes `SettlementClosed` (S-04)."""
    view = asyncio.run(_close(settlement_id))
    _report(view)


async def _run(month: str) -> SettlementView:
    database = Database(SettlementSettings().database_url)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    try:
        with Progress(*columns, TimeElapsedColumn(), console=console) as progress:
            async with database.transaction() as session:
                started = await service.run_month(
                    session, month=month, progress=_Bar(progress, month)
                )
        async with database.reading() as session:
            return await service.get_settlement(session, settlement_id=started.settlement_id)
    except ServiceError as error:
        _fail(error)
    finally:
        await database.dispose()


async def _close(settlement_id: str) -> SettlementView:
    database = Database(SettlementSettings().database_url)
    try:
        async with database.transaction() as session:
            return await service.close(session, settlement_id=settlement_id)
    except ServiceError as error:
        _fail(error)
    finally:
        await database.dispose()


def _fail(error: ServiceError) -> NoReturn:
    console.print(f"[red]{error.title}[/red]: {error.detail}")
    for item in error.errors:
        console.print(f"  {item.rule or ''} {item.code}: {item.message}")
    raise typer.Exit(1)


def _report(view: SettlementView) -> None:
    totals = view.totals
    console.print(f"settlement {view.settlement_id} {view.month} {view.status}")
    console.print(
        f"  state {totals.state_share}  OCMW {totals.ocmw_share}  patient {totals.patient_share}"
        f"  total {totals.total}  lines {totals.lines}  invoices {totals.invoices}"
        f"  OCMWs {len(view.per_ocmw)}"
    )
    reconciled = view.reconciliation is not None and view.reconciliation.reconciled
    console.print(f"  reconciled (ledger = funder file = OCMW statements): {reconciled}")
    statements = [name for name in view.files if name.startswith("ocmw-")]
    for name, checksum in view.files.items():
        if not name.startswith("ocmw-"):
            console.print(f"  sha256 {checksum}  {name}")
    console.print(f"  {len(statements)} OCMW statement files (checksums: GET the settlement)")
