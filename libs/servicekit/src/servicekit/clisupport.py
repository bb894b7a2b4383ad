"""What the operator commands share: a service's settings and database, JSON and rich output.

JSON goes to standard output alone (`--json`, for scripts); tables and progress bars to the
terminal, progress on standard error so a script piping the JSON never sees it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO, cast

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from servicekit.db import Database
from servicekit.logging import CurrentStderr, configure_logging
from servicekit.settings import ServiceSettings

if TYPE_CHECKING:
    from servicekit.service import ServiceDefinition

console = Console()
progress_console = Console(stderr=True)


@dataclass(frozen=True)
class OpenService:
    definition: ServiceDefinition
    settings: ServiceSettings
    database: Database


@asynccontextmanager
async def opened(name: str) -> AsyncIterator[OpenService]:
    """Service `name` as its settings (MEDIPRIMA_* environment) say, its database open.

    Its log lines (warnings and worse) go to standard error, keeping standard output for the
    command's answer.
    """
    from servicekit.registry import load_service

    configure_logging(service=name, level="WARNING", stream=cast(TextIO, CurrentStderr()))
    try:
        definition = load_service(name)
    except LookupError as exc:
        raise typer.BadParameter(str(exc)) from exc
    settings = definition.settings_class()
    database = Database(settings.database_url)
    try:
        yield OpenService(definition, settings, database)
    finally:
        await database.dispose()


def names_or_all(names: list[str] | None) -> list[str]:
    from servicekit.registry import service_names

    return names or service_names()


def print_json(value: Any) -> None:
    typer.echo(json.dumps(value, indent=2, default=str))


def progress_bar() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=progress_console,
        transient=True,
    )
