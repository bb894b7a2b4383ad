from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from consultation.billing import service
from consultation.billing.schemas import (
    ExemptionRequest,
    ExemptionView,
    PaperInvoiceCheck,
    PaperInvoiceCheckRequest,
    ProviderKindRequest,
    ProviderKindView,
)
from mediprima_contracts.values import RizivNumber
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession

router = APIRouter(tags=["billing route (I-06)"])

Ocmw = Annotated[Principal, require(Role.OCMW)]
OcmwOrOperator = Annotated[Principal, require(Role.OCMW, Role.OPERATOR)]
Operator = Annotated[Principal, require(Role.OPERATOR)]
Provider = Annotated[RizivNumber, Path(description="RIZIV number of the provider.")]


@router.post(
    "/v1/billing-exemptions",
    status_code=201,
    response_model=ExemptionView,
    responses={
        200: {"model": ExemptionView, "description": "The same declaration, recorded before."}
    },
)
async def record_exemption(
    request: ExemptionRequest, response: Response, session: DbSession, caller: Ocmw
) -> ExemptionView:
    """I-06: record a GP's written exemption declaration received by the calling OCMW.

    The same body again answers the first record (200); another body under the same document
    reference is `409` (`exemption.reference_reused`).
    """
    view, created = await service.record_exemption(
        session, request=request, caller=caller, today=datetime.now(UTC).date()
    )
    response.status_code = 201 if created else 200
    return view


@router.get("/v1/billing-exemptions", response_model=list[ExemptionView])
async def exemptions(
    session: DbReadSession,
    caller: OcmwOrOperator,
    provider: Annotated[RizivNumber | None, Query(description="Only this GP's.")] = None,
) -> list[ExemptionView]:
    """I-06: the declarations the calling OCMW recorded; an operator sees every OCMW's."""
    return await service.exemptions(session, caller=caller, provider=provider)


@router.put("/v1/provider-kinds/{riziv_number}", response_model=ProviderKindView)
async def set_provider_kind(
    riziv_number: Provider, request: ProviderKindRequest, session: DbSession, caller: Operator
) -> ProviderKindView:
    """I-06: record where a provider works: out-of-hours posts and fixed-fee medical houses are
    not bound to bill through the platform."""
    return await service.set_provider_kind(
        session, riziv_number=riziv_number, request=request, caller=caller
    )


@router.get("/v1/provider-kinds/{riziv_number}", response_model=ProviderKindView)
async def provider_kind(
    riziv_number: Provider, session: DbReadSession, caller: Operator
) -> ProviderKindView:
    """Where a provider works; `practice` when nothing was recorded."""
    return await service.provider_kind_view(session, riziv_number=riziv_number)


@router.post("/v1/paper-invoice-checks", response_model=PaperInvoiceCheck)
async def check_paper_invoice(
    request: PaperInvoiceCheckRequest, session: DbReadSession, caller: Ocmw
) -> PaperInvoiceCheck:
    """I-06: whether a paper invoice the calling OCMW received was allowed on paper, judged on
    the invoice's date. Nothing is stored."""
    return await service.check_paper_invoice(session, request=request, caller=caller)
