"""`mediprima status` and `mediprima prune`: backlog, lag and retention, per service."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer
from rich.table import Table

from servicekit.clisupport import (
    OpenService,
    console,
    names_or_all,
    opened,
    print_json,
    progress_bar,
)
from servicekit.operations_status import service_status
from servicekit.retention import prune
from servicekit.scheduling import utc_now

JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts")]
ServicesArgument = Annotated[list[str] | None, typer.Argument(help="Services; all when omitted")]


def status(services: ServicesArgument = None, as_json: JsonOption = False) -> None:
    """Outbox backlog, consumer lag and dead letters of each service.

    Per service: unsent outbox rows, the oldest one's age and parked rows; per consumer group,
    the lag on each topic (both buses) and the dead letters waiting.
    """
    reports = asyncio.run(_statuses(names_or_all(services)))
    if as_json:
        print_json({"services": reports})
    else:
        _print_statuses(reports)
    if any("error" in report for report in reports):
        raise typer.Exit(1)


async def _statuses(names: list[str]) -> list[dict[str, Any]]:
    reports = []
    for name in names:
        try:
            async with opened(name) as service:
                reports.append(await _status(service))
        except Exception as exc:  # one unreachable service must not hide the others
            reports.append({"service": name, "error": repr(exc)})
    return reports


async def _status(service: OpenService) -> dict[str, Any]:
    report = await service_status(
        service=service.definition.name,
        settings=service.settings,
        database=service.database,
        consumers=service.definition.consumers,
        now=utc_now(),
    )
    return report.model_dump(mode="json")


def _print_statuses(reports: list[dict[str, Any]]) -> None:
    table = Table(
        "service",
        "outbox unsent",
        "oldest unsent",
        "parked",
        "group",
        "topic",
        "lag",
        "dead letters",
    )
    for report in reports:
        if "error" in report:
            table.add_row(report["service"], f"[red]{report['error']}[/red]")
            continue
        box = report["outbox"]
        age = box["oldest_unsent_age_seconds"]
        first = [
            report["service"],
            str(box["unsent"]),
            "-" if age is None else f"{age:.0f} s",
            str(box["parked"]),
        ]
        for lag in report["consumer_lag"] or [{"group": "-", "topic": "-", "lag": 0}]:
            waiting = report["dead_letters_waiting"].get(lag["group"], 0)
            table.add_row(*first, lag["group"], lag["topic"], str(lag["lag"]), str(waiting))
            first = ["", "", "", ""]
    console.print(table)


def prune_command(services: ServicesArgument = None, as_json: JsonOption = False) -> None:
    """Run retention now, as the nightly schedule does.

    Deletes published outbox rows, inbox entries and replayed dead letters past their window,
    and SQL event-log records every consumer group has read, as MEDIPRIMA_*_RETENTION say.
    """
    names = names_or_all(services)
    results = asyncio.run(_prune_all(names))
    if as_json:
        print_json({"services": results})
        return
    table = Table("service", "outbox", "inbox", "dead letters", "event log")
    for result in results:
        table.add_row(
            result["service"],
            *(str(result["deleted"][k]) for k in ("outbox", "inbox", "dead_letters", "event_log")),
        )
    console.print(table)


async def _prune_all(names: list[str]) -> list[dict[str, Any]]:

    results = []
    with progress_bar() as progress:
        task = progress.add_task("pruning", total=len(names))
        for name in names:
            progress.update(task, description=f"pruning {name}")
            async with opened(name) as service:
                pruned = await prune(
                    service.settings,
                    service.database,
                    service.definition.written_topics(),
                    now=utc_now(),
                )
            results.append({"service": name, "deleted": pruned.as_dict()})
            progress.advance(task)
    return results
