from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header

from invoicing.cancellations import service
from invoicing.cancellations.schemas import CancellationInput, CancellationView
from servicekit.auth import Principal, Role, require
from servicekit.http import DbSession

router = APIRouter(tags=["cancellations"])

Provider = Annotated[Principal, require(Role.GP)]
IdempotencyKey = Annotated[
    str, Header(min_length=1, max_length=200, description="Retry-safe key chosen by the client")
]


@router.post(
    "/v1/invoices/{invoice_id}/cancellations", status_code=201, response_model=CancellationView
)
async def cancel_lines(
    invoice_id: str,
    request: CancellationInput,
    session: DbSession,
    caller: Provider,
    idempotency_key: IdempotencyKey,
) -> CancellationView:
    """Withdraw lines of the caller's own invoice before they are paid (all of them when
    `line_numbers` is absent): they become `cancelled`, are never paid, and the invoice's
    status follows (`cancelled` once every line is). A paid line is refused (409): the payer
    credits it instead. Retry-safe with the `Idempotency-Key`."""
    return await service.cancel_lines(
        session,
        invoice_id=invoice_id,
        request=request,
        idempotency_key=idempotency_key,
        caller=caller,
        now=datetime.now(UTC),
    )
