from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query

from invoicing.invoices import repository, service
from invoicing.invoices.schemas import InvoiceInput, InvoicePage, InvoiceReceived, InvoiceView
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession

router = APIRouter(prefix="/v1/invoices", tags=["invoices"])

Provider = Annotated[Principal, require(Role.GP)]
Reader = Annotated[Principal, require(Role.GP, Role.OPERATOR)]


@router.post("", status_code=202, response_model=InvoiceReceived)
async def submit_invoice(
    request: InvoiceInput,
    session: DbSession,
    caller: Provider,
    idempotency_key: Annotated[
        str, Header(min_length=1, max_length=200, description="Retry-safe key chosen by the client")
    ],
) -> InvoiceReceived:
    """Receive an invoice for pricing; the same key and body always give the same answer."""
    return await service.submit_invoice(
        session, request=request, idempotency_key=idempotency_key, caller=caller
    )


@router.get("/{invoice_id}", response_model=InvoiceView)
async def get_invoice(invoice_id: str, session: DbReadSession, caller: Reader) -> InvoiceView:
    """The invoice with each line's verdict, shares and reasons, and its payment."""
    return await service.get_invoice(session, invoice_id=invoice_id, caller=caller)


@router.get("", response_model=InvoicePage)
async def list_invoices(
    session: DbReadSession,
    caller: Reader,
    status: str | None = None,
    submitted_from: Annotated[datetime | None, Query(alias="from")] = None,
    submitted_to: Annotated[datetime | None, Query(alias="to")] = None,
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InvoicePage:
    """The caller's invoices (operators: all), oldest first."""
    found = await repository.list_for(
        session,
        provider=None if caller.is_operator else caller.subject,
        status=status,
        submitted_from=submitted_from,
        submitted_to=submitted_to,
        offset=offset,
        limit=limit + 1,
    )
    items = [await service.invoice_view(session, invoice) for invoice in found[:limit]]
    return InvoicePage(items=items, next_offset=offset + limit if len(found) > limit else None)
