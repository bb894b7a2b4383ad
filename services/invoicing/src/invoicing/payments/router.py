from typing import Annotated

from fastapi import APIRouter

from invoicing.payments import service
from invoicing.payments.service import PaymentRunResult
from servicekit.auth import Principal, Role, require
from servicekit.http import DbSession

router = APIRouter(prefix="/v1/payment-runs", tags=["payments"])

Operator = Annotated[Principal, require(Role.OPERATOR)]


@router.post("", response_model=PaymentRunResult)
async def run_payments(session: DbSession, caller: Operator) -> PaymentRunResult:
    """Pay every accepted, unpaid line (operators)."""
    return await service.run_payments(session)
