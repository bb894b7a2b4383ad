"""Operators: every service's dead letters: list, inspect, replay one or a group's all."""

from __future__ import annotations

import asyncio
import json
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse

from console.backends import Backends, ServiceProblem
from console.pages import render
from console.session import CsrfChecked, Operator, User

router = APIRouter(prefix="/operator/dead-letters")
PAGE = 50
LetterId = Annotated[int, Path(ge=1, le=2**63 - 1)]
Confirmed = Annotated[bool, Form()]


class Shown(StrEnum):
    WAITING = "waiting"
    REPLAYED = "replayed"
    ALL = "all"


def _backends(request: Request, *services: str) -> Backends:
    backends: Backends = request.app.state.backends
    for service in services:
        if service not in backends.services:
            raise ServiceProblem(404, "No such service", [service])
    return backends


async def _letters(
    backends: Backends, service: str, shown: Shown, user: User, offset: int = 0
) -> Any:
    return await backends.json(
        service,
        "GET",
        "/v1/operations/dead-letters",
        user,
        params={"status": shown.value, "offset": offset, "limit": PAGE},
    )


@router.get("", response_class=HTMLResponse)
async def dead_letters(
    request: Request,
    user: Operator,
    service: Annotated[str | None, Query(max_length=40)] = None,
    status: Shown = Shown.WAITING,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> HTMLResponse:
    """Each service's letters a page of 50 at a time; `offset` pages through one service's."""
    services = [service] if service else request.app.state.backends.services
    return await _letters_page(
        request, user, services, status, offset=offset if service else 0, chosen=service
    )


async def _letters_page(
    request: Request,
    user: User,
    services: list[str],
    shown: Shown,
    *,
    offset: int = 0,
    status_code: int = 200,
    **outcome: Any,
) -> HTMLResponse:
    backends = _backends(request, *services)
    pages = await asyncio.gather(
        *(_letters(backends, name, shown, user, offset) for name in services)
    )
    return render(
        request,
        "operators/dead_letters.html",
        status_code,
        shown=shown,
        all_services=backends.services,
        letters={name: page["items"] for name, page in zip(services, pages, strict=True)},
        next_offsets={
            name: page["next_offset"] for name, page in zip(services, pages, strict=True)
        },
        offset=offset,
        page_size=PAGE,
        **outcome,
    )


async def _detail(
    request: Request,
    user: User,
    service: str,
    letter_id: int,
    status_code: int = 200,
    **outcome: Any,
) -> HTMLResponse:
    letter = await _backends(request, service).json(
        service, "GET", f"/v1/operations/dead-letters/{letter_id}", user
    )
    payload = letter["payload"]
    shown = (
        payload if isinstance(payload, str) else json.dumps(payload, indent=2, ensure_ascii=False)
    )
    return render(
        request,
        "operators/dead_letter.html",
        status_code,
        service=service,
        letter=letter,
        payload=shown,
        **outcome,
    )


@router.get("/{service}/{letter_id}", response_class=HTMLResponse)
async def dead_letter(
    request: Request, user: Operator, service: str, letter_id: LetterId
) -> HTMLResponse:
    return await _detail(request, user, service, letter_id)


@router.post(
    "/{service}/{letter_id}/replay", response_class=HTMLResponse, dependencies=[CsrfChecked]
)
async def replay(
    request: Request,
    user: Operator,
    service: str,
    letter_id: LetterId,
    confirmed: Confirmed = False,
) -> HTMLResponse:
    """Replays once the box is ticked; refused again, the page says why (the letter waits)."""
    if not confirmed:
        return await _detail(
            request, user, service, letter_id, 422, problem="Tick the box to confirm the replay."
        )
    try:
        answer = await _backends(request, service).json(
            service, "POST", f"/v1/operations/dead-letters/{letter_id}/replay", user
        )
    except ServiceProblem as refused:
        if refused.status != 409:
            raise
        return await _detail(
            request,
            user,
            service,
            letter_id,
            409,
            problem="Refused again:",
            reasons=refused.messages,
        )
    return await _detail(request, user, service, letter_id, outcome=answer["outcome"])


@router.post("/{service}/replay-all", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def replay_all(
    request: Request,
    user: Operator,
    service: str,
    group: Annotated[str, Form(max_length=200)],
    confirmed: Confirmed = False,
) -> HTMLResponse:
    backends = _backends(request, service)
    summary = None
    if confirmed:
        summary = await backends.json(
            service,
            "POST",
            "/v1/operations/dead-letters/replay-all",
            user,
            params={"group": group},
        )
    return await _letters_page(
        request,
        user,
        [service],
        Shown.WAITING,
        status_code=200 if confirmed else 422,
        chosen=service,
        summary=summary,
        summary_group=group,
        problem=None if confirmed else "Tick the box to confirm the replay.",
    )
