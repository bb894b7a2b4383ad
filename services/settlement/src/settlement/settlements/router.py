from typing import Annotated

from fastapi import APIRouter

from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession
from settlement.settlements import service
from settlement.settlements.schemas import SettlementRequest, SettlementStarted, SettlementView

router = APIRouter(prefix="/v1/settlements", tags=["settlements"])

Operator = Annotated[Principal, require(Role.OPERATOR)]


@router.post("", status_code=202, response_model=SettlementStarted)
async def run_month(
    request: SettlementRequest, session: DbSession, caller: Operator
) -> SettlementStarted:
    """Compute the month from the paid lines; an open month is recomputed, a closed one refused."""
    return await service.run_month(session, month=request.month)


@router.get("/{settlement_id}", response_model=SettlementView)
async def get_settlement(
    settlement_id: str, session: DbReadSession, caller: Operator
) -> SettlementView:
    """The month's totals, overall and per OCMW."""
    return await service.get_settlement(session, settlement_id=settlement_id)


@router.post("/{settlement_id}/close", response_model=SettlementView)
async def close(settlement_id: str, session: DbSession, caller: Operator) -> SettlementView:
    """Freeze the month and publish its closing."""
    return await service.close(session, settlement_id=settlement_id)
