from typing import Annotated

from fastapi import APIRouter, Query, Response

from decision_registry.handovers import service
from decision_registry.handovers.schemas import (
    HandOverFilter,
    HandOverPage,
    HandOverRequest,
    HandOverView,
    RefusalRequest,
    SettlementRequest,
)
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession
from servicekit.paging import Offset

router = APIRouter(tags=["hand-overs"])

Ocmw = Annotated[Principal, require(Role.OCMW)]
Reader = Annotated[Principal, require(Role.OCMW, Role.OPERATOR)]
Operator = Annotated[Principal, require(Role.OPERATOR)]


@router.post(
    "/v1/decisions/{decision_number}/hand-over", status_code=201, response_model=HandOverView
)
async def hand_over_decision(
    decision_number: str,
    request: HandOverRequest,
    session: DbSession,
    caller: Ocmw,
    response: Response,
) -> HandOverView:
    """The owning OCMW declares itself not competent and hands the file over to the OCMW it
    deems competent, which answers within 5 calendar days (D-14). Repeating a pending
    hand-over answers it again (200)."""
    view, created = await service.request_hand_over(
        session, decision_number=decision_number, request=request, caller=caller
    )
    if not created:
        response.status_code = 200
    return view


@router.get("/v1/hand-overs", response_model=HandOverPage)
async def list_hand_overs(
    session: DbReadSession,
    caller: Reader,
    status: Annotated[
        HandOverFilter | None,
        Query(description="`conflict`: refused, or unanswered after the deadline."),
    ] = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Offset = 0,
) -> HandOverPage:
    """An OCMW's incoming and outgoing hand-overs; an operator's: all of them (D-14)."""
    return await service.list_hand_overs(
        session, caller=caller, status=status, limit=limit, offset=offset
    )


@router.get("/v1/hand-overs/{hand_over_id}", response_model=HandOverView)
async def get_hand_over(hand_over_id: str, session: DbReadSession, caller: Reader) -> HandOverView:
    """One hand-over, for the two OCMWs and operators."""
    return await service.get_hand_over(session, hand_over_id=hand_over_id, caller=caller)


@router.post("/v1/hand-overs/{hand_over_id}/accept", response_model=HandOverView)
async def accept_hand_over(hand_over_id: str, session: DbSession, caller: Ocmw) -> HandOverView:
    """The receiving OCMW takes the file over from today: a new version it owns (change kind
    `handed_over`); the versions before keep their owner. Accepting again changes nothing."""
    return await service.accept_hand_over(session, hand_over_id=hand_over_id, caller=caller)


@router.post("/v1/hand-overs/{hand_over_id}/refuse", response_model=HandOverView)
async def refuse_hand_over(
    hand_over_id: str, request: RefusalRequest, session: DbSession, caller: Ocmw
) -> HandOverView:
    """The receiving OCMW does not take the file: a competence conflict the funder settles."""
    return await service.refuse_hand_over(
        session, hand_over_id=hand_over_id, request=request, caller=caller
    )


@router.post("/v1/hand-overs/{hand_over_id}/settle", response_model=HandOverView)
async def settle_hand_over(
    hand_over_id: str, request: SettlementRequest, session: DbSession, _caller: Operator
) -> HandOverView:
    """The funder (operator) settles a competence conflict: the file passes to the receiver,
    or stays with the sender."""
    return await service.settle_hand_over(session, hand_over_id=hand_over_id, request=request)
