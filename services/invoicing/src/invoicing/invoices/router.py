from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request

from invoicing.invoices import reading, service
from invoicing.invoices.body import inline_schema, json_body, read_json
from invoicing.invoices.criteria import InvoiceCriteria
from invoicing.invoices.schemas import (
    MAX_BATCH_INVOICES,
    BatchReceived,
    InvoiceInput,
    InvoicePage,
    InvoiceReceived,
    InvoiceSearch,
    InvoiceView,
)
from invoicing.invoices.statuses import InvoiceStatus
from servicekit.auth import Principal, Role, require
from servicekit.errors import Unprocessable
from servicekit.http import DbReadSession, DbSession
from servicekit.openapi_links import link, links
from servicekit.paging import Offset
from servicekit.ratelimits import rate_limited

router = APIRouter(tags=["invoices"])

Provider = Annotated[Principal, require(Role.GP)]
Reader = Annotated[Principal, require(Role.GP, Role.OPERATOR)]
IdempotencyKey = Annotated[
    str, Header(min_length=1, max_length=200, description="Retry-safe key chosen by the client")
]

MAX_INVOICE_BYTES = 256 * 1024
MAX_BATCH_BYTES = 16 * 1024 * 1024
_INVOICE_SCHEMA = inline_schema(InvoiceInput)
_BATCH_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["invoices"],
    "properties": {
        "invoices": {"type": "array", "maxItems": MAX_BATCH_INVOICES, "items": _INVOICE_SCHEMA}
    },
}


@router.post(
    "/v1/invoices",
    status_code=202,
    response_model=InvoiceReceived,
    responses={
        202: links(
            GetInvoice=link(
                "get", "/v1/invoices/{invoice_id}", invoice_id="$response.body#/invoice_id"
            )
        )
    },
    openapi_extra=json_body(_INVOICE_SCHEMA),
    dependencies=[rate_limited("invoices")],
)
async def submit_invoice(
    request: Request, session: DbSession, caller: Provider, idempotency_key: IdempotencyKey
) -> InvoiceReceived:
    """Receive an invoice for pricing (I-01). Every bad field is listed in one 422 and nothing
    is stored; the same key and body always give the same answer, another body a 409."""
    body = await read_json(request)
    return await service.submit_invoice(
        session, raw=body, idempotency_key=idempotency_key, caller=caller, now=datetime.now(UTC)
    )


@router.post(
    "/v1/invoice-batches",
    status_code=202,
    response_model=BatchReceived,
    tags=["invoices"],
    openapi_extra=json_body(_BATCH_SCHEMA),
    dependencies=[rate_limited("invoice-batches")],
)
async def submit_batch(
    request: Request, session: DbSession, caller: Provider, idempotency_key: IdempotencyKey
) -> BatchReceived:
    """Receive up to 1,000 invoices (the end-of-day upload); each is answered on its own, by its
    index: an invoice id, or the problem that refused it. Retry-safe per batch key."""
    body = await read_json(request)
    invoices = body.get("invoices") if isinstance(body, dict) else None
    if not isinstance(invoices, list) or not 1 <= len(invoices) <= MAX_BATCH_INVOICES:
        raise Unprocessable.for_rule(
            "I-01",
            "batch.invoices",
            f"A batch is an object with `invoices`: 1 to {MAX_BATCH_INVOICES} invoices",
            field="invoices",
        )
    return await service.submit_batch(
        session,
        raw_invoices=invoices,
        idempotency_key=idempotency_key,
        caller=caller,
        now=datetime.now(UTC),
    )


@router.get("/v1/invoices/{invoice_id}", response_model=InvoiceView)
async def get_invoice(invoice_id: str, session: DbReadSession, caller: Reader) -> InvoiceView:
    """The invoice with each line's verdict, shares and reasons, its history, payment and
    credits. Another provider's invoice answers 404."""
    return await reading.get_invoice(session, invoice_id=invoice_id, caller=caller)


@router.get("/v1/invoices", response_model=InvoicePage)
async def list_invoices(
    session: DbReadSession,
    caller: Reader,
    status: InvoiceStatus | None = None,
    submitted_from: Annotated[
        datetime | None, Query(alias="from", description="Submitted at or after")
    ] = None,
    submitted_to: Annotated[
        datetime | None, Query(alias="to", description="Submitted before")
    ] = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> InvoicePage:
    """The caller's invoices (operators: all), oldest first, `limit` per page. To find them by
    provider, person or refusal code, `POST /v1/invoice-searches`."""
    criteria = InvoiceCriteria(
        status=status, submitted_from=submitted_from, submitted_to=submitted_to
    )
    return await reading.list_invoices(
        session, caller=caller, criteria=criteria, offset=offset, limit=limit
    )


@router.post("/v1/invoice-searches", response_model=InvoicePage)
async def search_invoices(
    search: InvoiceSearch, session: DbReadSession, caller: Reader
) -> InvoicePage:
    """The caller's invoices (operators: all) that meet every criterion given: status,
    submission dates, provider, person (under any of their numbers) and the code or rule a line
    was refused with; newest first unless asked otherwise, `limit` per page, every page to the
    last. A search, not a resource: nothing is stored, and the person is in the body, not the
    URL."""
    return await reading.list_invoices(
        session,
        caller=caller,
        criteria=reading.search_criteria(search),
        offset=search.offset,
        limit=search.limit,
    )
