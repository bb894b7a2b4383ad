from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter

from invoicing.credits import service
from invoicing.invoices.schemas import CreditCreated, CreditInput
from servicekit.auth import Principal, Role, require
from servicekit.http import DbSession

router = APIRouter(tags=["credits"])

Operator = Annotated[Principal, require(Role.OPERATOR)]


@router.post("/v1/invoices/{invoice_id}/credits", status_code=201, response_model=CreditCreated)
async def credit_lines(
    invoice_id: str, request: CreditInput, session: DbSession, caller: Operator
) -> CreditCreated:
    """Take back accepted lines (operators), before or after payment: the lines show as
    credited, are never paid, and `InvoiceLinesCredited` is published for settlement."""
    return await service.credit_lines(
        session, invoice_id=invoice_id, request=request, now=datetime.now(UTC)
    )
