"""`mediprima tariffs ...`: operator commands of the tariffing service."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer

from servicekit.db import Database
from tariffing.nomenclature.schemas import ImportReport, TariffImportRejected
from tariffing.nomenclature.service import import_tariffs
from tariffing.settings import TariffingSettings

app = typer.Typer(help="Tariffing: the nomenclature over time.", no_args_is_help=True)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="Tariff CSV file")],
) -> None:
    """Import a tariff CSV file into the tariffing database: all rows or none."""
    try:
        report = asyncio.run(_import(file.read_text(encoding="utf-8-sig")))
    except TariffImportRejected as rejected:
        for error in rejected.errors:
            typer.echo(f"{error.rule} {error.code} {error.field}: {error.message}", err=True)
        typer.echo(f"imported 0, skipped {rejected.skipped}, errors {len(rejected.errors)}")
        raise typer.Exit(code=1) from None
    typer.echo(f"imported {report.imported}, skipped {report.skipped}, errors 0")


async def _import(text: str) -> ImportReport:
    database = Database(TariffingSettings().database_url)
    try:
        async with database.transaction() as session:
            return await import_tariffs(session, text=text)
    finally:
        await database.dispose()
