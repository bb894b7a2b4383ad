from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import Response, StreamingResponse

from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession
from settlement.settlements import downloads, service
from settlement.settlements.downloads import Download
from settlement.settlements.schemas import (
    SettlementMonthPage,
    SettlementRequest,
    SettlementStarted,
    SettlementView,
)

router = APIRouter(prefix="/v1/settlements", tags=["settlements"])

Operator = Annotated[Principal, require(Role.OPERATOR)]
OperatorOrOcmw = Annotated[Principal, require(Role.OPERATOR, Role.OCMW)]
Accept = Annotated[str | None, Header()]

_FILES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"text/csv": {}, "application/json": {}, "application/pdf": {}},
        "description": "The file; layouts in services/settlement/README.md and schemas/.",
    }
}


@router.post("", status_code=202, response_model=SettlementStarted)
async def run_month(
    request: SettlementRequest, session: DbSession, caller: Operator
) -> SettlementStarted:
    """Compute the month from the ledger and reconcile it; an open month is recomputed, a closed
    one refused (409, S-04), a run that does not reconcile refused (409, S-04)."""
    return await service.run_month(session, month=request.month)


@router.get("", response_model=SettlementMonthPage)
async def list_months(
    session: DbReadSession,
    caller: OperatorOrOcmw,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=120)] = 24,
) -> SettlementMonthPage:
    """Settled months, newest first, with their ids and status (no amounts: an OCMW reads its
    own statement of a month with `/{settlement_id}/ocmw/{enterprise_number}`)."""
    return await service.list_months(session, offset=offset, limit=limit)


@router.get("/{settlement_id}", response_model=SettlementView)
async def get_settlement(
    settlement_id: str, session: DbReadSession, caller: Operator
) -> SettlementView:
    """The month's totals, overall and per OCMW, its reconciliation report and file checksums."""
    return await service.get_settlement(session, settlement_id=settlement_id)


@router.get("/{settlement_id}/funder-file", responses=_FILES)
async def funder_file(
    settlement_id: str, request: Request, session: DbReadSession, caller: Operator,
    accept: Accept = None,
) -> Response:  # fmt: skip
    """S-01: every line of the month and its totals, as CSV or JSON by `Accept`."""
    download = await downloads.funder_file(
        session, request.app.state.database, settlement_id=settlement_id, accept=accept
    )
    return _response(download)


@router.get("/{settlement_id}/ocmw/{enterprise_number}", responses=_FILES)
async def ocmw_statement(
    settlement_id: str, enterprise_number: str, request: Request, session: DbReadSession,
    caller: OperatorOrOcmw, accept: Accept = None,
) -> Response:  # fmt: skip
    """S-02: one OCMW's statement as CSV, JSON or PDF by `Accept`; an OCMW reads only its own."""
    download = await downloads.ocmw_statement(
        session,
        request.app.state.database,
        settlement_id=settlement_id,
        enterprise_number=enterprise_number,
        caller=caller,
        accept=accept,
    )
    return _response(download)


@router.post("/{settlement_id}/close", response_model=SettlementView)
async def close(settlement_id: str, session: DbSession, caller: Operator) -> SettlementView:
    """Recompute, reconcile and freeze the month, record each file's SHA-256 and publish
    `SettlementClosed` (S-04)."""
    return await service.close(session, settlement_id=settlement_id)


def _response(download: Download) -> Response:
    headers = {"Content-Disposition": f'attachment; filename="{download.file_name}"'}
    if isinstance(download.body, bytes):
        return Response(download.body, media_type=download.media_type, headers=headers)
    return StreamingResponse(download.body, media_type=download.media_type, headers=headers)
