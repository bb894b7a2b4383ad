"""`mediprima dead-letters list|show|replay`, against each service's own database.

The same functions as the operator API (`/v1/operations/dead-letters`), without a token: the
command runs where the service's database is reachable, like `mediprima migrate`.
"""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

import typer
from rich.table import Table

from servicekit.clisupport import console, names_or_all, opened, print_json, progress_bar
from servicekit.deadletters import store

# The replay machinery (handlers, contracts) is imported by the commands that use it.

app = typer.Typer(
    help="Events a consumer group could not apply: list, show, replay after a fix.",
    no_args_is_help=True,
)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts")]
PAGE = 200


@app.command("list")
def list_letters(
    services: Annotated[list[str] | None, typer.Argument(help="Services; all when omitted")] = None,
    status: Annotated[
        store.StatusFilter, typer.Option(help="waiting, replayed or all")
    ] = store.StatusFilter.WAITING,
    group: Annotated[str | None, typer.Option(help="One consumer group")] = None,
    as_json: JsonOption = False,
) -> None:
    """Dead letters of each service, oldest first, with their error."""
    letters = asyncio.run(_list(names_or_all(services), status, group))
    if as_json:
        print_json({"items": letters})
        return
    table = Table("service", "id", "status", "group", "event type", "dead-lettered", "error")
    for letter in letters:
        table.add_row(
            letter["service"],
            str(letter["id"]),
            letter["status"],
            letter["consumer_group"],
            letter["event_type"] or "(unreadable)",
            letter["dead_lettered_at"][:19],
            letter["error"],
        )
    console.print(table if letters else "No dead letters.")


async def _list(
    names: list[str], status: store.StatusFilter, group: str | None
) -> list[dict[str, Any]]:
    from servicekit.deadletters.schemas import DeadLetterView

    letters: list[dict[str, Any]] = []
    for name in names:
        async with opened(name) as service:
            offset = 0
            while True:
                async with service.database.reading() as session:
                    rows = await store.listing(
                        session, status=status, group=group, offset=offset, limit=PAGE
                    )
                letters += [
                    {"service": name, **DeadLetterView.of(row).model_dump(mode="json")}
                    for row in rows
                ]
                if len(rows) < PAGE:
                    break
                offset += PAGE
    return letters


@app.command()
def show(
    service: Annotated[str, typer.Argument(help="The service, e.g. invoicing")],
    letter_id: Annotated[int, typer.Argument(help="The letter's id", min=1)],
    as_json: JsonOption = False,
) -> None:
    """One dead letter: its error, headers and the record as read (may hold personal data)."""
    detail = asyncio.run(_show(service, letter_id))
    if as_json:
        print_json(detail)
        return
    console.print(detail)


async def _show(name: str, letter_id: int) -> dict[str, Any]:
    from servicekit.deadletters.schemas import DeadLetterDetail

    async with opened(name) as service, service.database.reading() as session:
        row = await store.get(session, letter_id)
    if row is None:
        _fail(f"No dead letter {letter_id} in {name}")
    return DeadLetterDetail.of(row).model_dump(mode="json")


@app.command("replay")
def replay_letters(
    service: Annotated[str, typer.Argument(help="The service, e.g. invoicing")],
    letter_id: Annotated[int | None, typer.Argument(help="One letter's id", min=1)] = None,
    every: Annotated[bool, typer.Option("--all", help="Every waiting letter")] = False,
    group: Annotated[str | None, typer.Option(help="With --all: one consumer group")] = None,
    as_json: JsonOption = False,
) -> None:
    """Apply letters once through their group's handler, after the cause is fixed.

    A letter replayed before changes nothing; one refused again keeps waiting with its new
    error, and the command exits with status 1.
    """
    if (letter_id is None) == (not every):
        raise typer.BadParameter("give one letter's id, or --all")
    if letter_id is not None:
        answer: dict[str, Any] = asyncio.run(_replay_one(service, letter_id))
        failed = answer["outcome"] == "failed"
    else:
        answer = asyncio.run(_replay_all(service, group))
        failed = bool(answer["failed"])
    if as_json:
        print_json(answer)
    else:
        console.print(answer)
    if failed:
        raise typer.Exit(1)


async def _replay_one(name: str, letter_id: int) -> dict[str, Any]:
    from servicekit.deadletters.replay import LetterNotFound, ReplayOutcome, replay
    from servicekit.deadletters.schemas import ReplayAnswer

    async with opened(name) as service:
        handlers = service.definition.consumer_handlers()
        try:
            result = await replay(service.database, handlers, letter_id)
        except LetterNotFound:
            _fail(f"No dead letter {letter_id} in {name}")
    if result.outcome is ReplayOutcome.FAILED:
        return {"id": letter_id, "outcome": result.outcome.value, "error": result.error}
    return ReplayAnswer.of(result).model_dump(mode="json")


async def _replay_all(name: str, group: str | None) -> dict[str, Any]:
    from servicekit.deadletters.replay import ReplayResult, replay_all
    from servicekit.deadletters.schemas import ReplayAllAnswer

    async with opened(name) as service:
        handlers = service.definition.consumer_handlers()
        with progress_bar() as progress:
            task = progress.add_task(f"replaying {name}", total=None)

            def advance(_result: ReplayResult, total: int) -> None:
                progress.update(task, total=total, advance=1)

            summary = await replay_all(service.database, handlers, group=group, on_each=advance)
    return ReplayAllAnswer.of(summary).model_dump(mode="json")


def _fail(message: str) -> Any:
    console.print(f"[red]{message}[/red]")
    raise typer.Exit(2)
