"""Recording the funder's written approvals (I-04) and handing them to adjudication."""

from __future__ import annotations

import hashlib
from datetime import datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.approvals import repository
from invoicing.approvals.models import LateBillingApprovalRecord
from invoicing.approvals.rules import check_approval_i04
from invoicing.approvals.schemas import ApprovalInput, ApprovalPage, ApprovalView, CarePeriod
from invoicing.db import as_utc
from mediprima_domain.billing import LateBillingApproval
from servicekit.auth import Principal
from servicekit.errors import Conflict, Unprocessable
from servicekit.unique_rows import insert_unless_present

log = structlog.get_logger()


async def record_approval(
    session: AsyncSession, *, request: ApprovalInput, caller: Principal, now: datetime
) -> ApprovalView:
    """Record the approval once per reference: the same body again gets the same answer,
    another body under the same reference a 409."""
    problems = check_approval_i04(
        care_from=request.care_period.start,
        care_until=request.care_period.end,
        approved_on=request.approved_on,
        today=now.date(),
    )
    if problems:
        raise Unprocessable(f"{len(problems)} invalid field(s)", problems)
    request_hash = hashlib.sha256(request.model_dump_json().encode()).hexdigest()
    record = LateBillingApprovalRecord(
        reference=request.reference,
        provider=request.provider,
        ssin=request.ssin,
        person_id=request.person_id,
        care_from=request.care_period.start,
        care_until=request.care_period.end,
        approved_on=request.approved_on,
        recorded_at=now,
        recorded_by=caller.subject,
        request_hash=request_hash,
    )

    async def earlier() -> LateBillingApprovalRecord | None:
        return await repository.by_reference(session, request.reference)

    first = await insert_unless_present(session, record, earlier)
    if first is not None:
        if first.request_hash != request_hash:
            raise Conflict.for_rule(
                "I-04",
                "approval.reference_reused",
                f"Approval {request.reference} was recorded with other details",
                field="reference",
            )
        return view(first)
    log.info("invoicing.late_billing_approval.recorded", reference=request.reference)
    return view(record)


async def list_approvals(
    session: AsyncSession, *, provider: str | None, ssin: str | None, offset: int, limit: int
) -> ApprovalPage:
    found = await repository.listed(
        session, provider=provider, ssin=ssin, offset=offset, limit=limit + 1
    )
    return ApprovalPage(
        items=[view(record) for record in found[:limit]],
        next_offset=offset + limit if len(found) > limit else None,
    )


async def approvals_for(
    session: AsyncSession, *, provider: str, ssin: str, person_id: str | None
) -> list[LateBillingApproval]:
    """What `mediprima_domain.billing.billing_limit_i04` weighs for this provider and person."""
    return [
        LateBillingApproval(
            reference=record.reference,
            provider=record.provider,
            ssin=record.ssin,
            care_from=record.care_from,
            care_until=record.care_until,
            approved_on=record.approved_on,
            person_id=record.person_id,
        )
        for record in await repository.for_care_of(
            session, provider=provider, ssin=ssin, person_id=person_id
        )
    ]


def view(record: LateBillingApprovalRecord) -> ApprovalView:
    return ApprovalView(
        reference=record.reference,
        provider=record.provider,
        ssin=record.ssin,
        person_id=record.person_id,
        care_period=CarePeriod(start=record.care_from, end=record.care_until),
        approved_on=record.approved_on,
        recorded_at=as_utc(record.recorded_at),
    )
