from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.approvals.models import LateBillingApprovalRecord


async def by_reference(session: AsyncSession, reference: str) -> LateBillingApprovalRecord | None:
    return await session.get(LateBillingApprovalRecord, reference)


async def listed(
    session: AsyncSession, *, provider: str | None, ssin: str | None, offset: int, limit: int
) -> list[LateBillingApprovalRecord]:
    query = select(LateBillingApprovalRecord)
    if provider is not None:
        query = query.where(LateBillingApprovalRecord.provider == provider)
    if ssin is not None:
        query = query.where(LateBillingApprovalRecord.ssin == ssin)
    query = query.order_by(
        LateBillingApprovalRecord.recorded_at, LateBillingApprovalRecord.reference
    )
    return list(await session.scalars(query.offset(offset).limit(limit)))


async def for_care_of(
    session: AsyncSession, *, provider: str, ssin: str, person_id: str | None
) -> list[LateBillingApprovalRecord]:
    """The provider's approvals for this person: under this number, or under the person's
    registry id whatever number they were recorded with."""
    person = LateBillingApprovalRecord.ssin == ssin
    if person_id is not None:
        person = or_(person, LateBillingApprovalRecord.person_id == person_id)
    return list(
        await session.scalars(
            select(LateBillingApprovalRecord).where(
                LateBillingApprovalRecord.provider == provider, person
            )
        )
    )
