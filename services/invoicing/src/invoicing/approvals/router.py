from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from invoicing.approvals import service
from invoicing.approvals.schemas import ApprovalInput, ApprovalPage, ApprovalView
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession
from servicekit.paging import Offset

router = APIRouter(prefix="/v1/late-billing-approvals", tags=["late-billing approvals"])

Operator = Annotated[Principal, require(Role.OPERATOR)]


@router.post("", status_code=201, response_model=ApprovalView)
async def record_approval(
    request: ApprovalInput, session: DbSession, caller: Operator
) -> ApprovalView:
    """Record the funder's written approval to pay care billed after the two years (I-04).

    Idempotent by `reference`: the same body again gets the same answer, another body a 409.
    It counts for invoices adjudicated after it is recorded; an invoice already adjudicated keeps
    its verdict, so late care refused before the approval was recorded is submitted again."""
    return await service.record_approval(
        session, request=request, caller=caller, now=datetime.now(UTC)
    )


@router.get("", response_model=ApprovalPage)
async def list_approvals(
    session: DbReadSession,
    caller: Operator,
    provider: Annotated[str | None, Query(pattern=r"^\d{8}(\d{3})?$")] = None,
    ssin: Annotated[str | None, Query(pattern=r"^\d{11}$")] = None,
    offset: Offset = 0,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> ApprovalPage:
    """Recorded approvals, by provider and/or person, oldest recorded first."""
    return await service.list_approvals(
        session, provider=provider, ssin=ssin, offset=offset, limit=limit
    )
