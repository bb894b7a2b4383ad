"""`/v1/operations/dead-letters`: every service's operators list, read and replay its letters.

Mounted by `servicekit.service.create_app` on every service, for that service's own groups.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request

from servicekit.auth import Role, require
from servicekit.db import Database
from servicekit.deadletters import store
from servicekit.deadletters.replay import (
    HandlersByGroup,
    LetterNotFound,
    ReplayOutcome,
    replay,
    replay_all,
)
from servicekit.deadletters.schemas import (
    DeadLetterDetail,
    DeadLetterPage,
    DeadLetterView,
    ReplayAllAnswer,
    ReplayAnswer,
)
from servicekit.errors import Conflict, Problem

router = APIRouter(
    prefix="/v1/operations/dead-letters",
    tags=["operations"],
    dependencies=[require(Role.OPERATOR)],
)
LetterId = Annotated[int, Path(ge=1, le=2**63 - 1, description="The letter's id")]
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such dead letter in this service."}
}


def _database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


def _handlers(request: Request) -> HandlersByGroup:
    handlers: HandlersByGroup = request.app.state.consumer_handlers
    return handlers


@router.get("", response_model=DeadLetterPage)
async def list_dead_letters(
    request: Request,
    status: Annotated[
        store.StatusFilter, Query(description="`waiting` (default), `replayed` or `all`")
    ] = store.StatusFilter.WAITING,
    group: Annotated[str | None, Query(max_length=200, description="One consumer group")] = None,
    offset: Annotated[int, Query(ge=0, le=2**62)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> DeadLetterPage:
    """This service's dead letters, oldest first, with their error (operators)."""
    async with _database(request).reading() as session:
        rows = await store.listing(
            session, status=status, group=group, offset=offset, limit=limit + 1
        )
    return DeadLetterPage(
        items=[DeadLetterView.of(row) for row in rows[:limit]],
        next_offset=offset + limit if len(rows) > limit else None,
    )


@router.get("/{letter_id}", response_model=DeadLetterDetail, responses=_NOT_FOUND)
async def show_dead_letter(request: Request, letter_id: LetterId) -> DeadLetterDetail:
    """One dead letter with its headers and the record as read (operators)."""
    async with _database(request).reading() as session:
        row = await store.get(session, letter_id)
    if row is None:
        raise LetterNotFound.for_rule(
            None, "dead_letter.not_found", f"No dead letter {letter_id} in this service"
        )
    return DeadLetterDetail.of(row)


@router.post(
    "/{letter_id}/replay",
    response_model=ReplayAnswer,
    responses={
        **_NOT_FOUND,
        409: {"model": Problem, "description": "The handler refused it again; still waiting."},
    },
)
async def replay_dead_letter(request: Request, letter_id: LetterId) -> ReplayAnswer:
    """Apply the letter's event once through its group's handler, after the cause is fixed.

    A letter replayed before answers `already_replayed` and changes nothing.
    """
    result = await replay(_database(request), _handlers(request), letter_id)
    if result.outcome is ReplayOutcome.FAILED:
        raise Conflict.for_rule(
            None,
            "dead_letter.replay_failed",
            f"Dead letter {letter_id} was refused again: {result.error}",
        )
    return ReplayAnswer.of(result)


@router.post("/replay-all", response_model=ReplayAllAnswer)
async def replay_all_dead_letters(
    request: Request,
    group: Annotated[str | None, Query(max_length=200, description="One consumer group")] = None,
) -> ReplayAllAnswer:
    """Replay every waiting letter (of one group, or all), oldest first; failures keep waiting."""
    summary = await replay_all(_database(request), _handlers(request), group=group)
    return ReplayAllAnswer.of(summary)
