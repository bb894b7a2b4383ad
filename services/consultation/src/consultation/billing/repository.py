from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.billing.models import BillingExemption, ProviderKindRecord


async def exemption_by_reference(
    session: AsyncSession, *, ocmw: str, document_reference: str
) -> BillingExemption | None:
    query = select(BillingExemption).where(
        BillingExemption.ocmw == ocmw, BillingExemption.document_reference == document_reference
    )
    return await session.scalar(query)


async def exemptions(
    session: AsyncSession, *, ocmw: str | None, provider: str | None
) -> list[BillingExemption]:
    """Exemptions recorded by `ocmw` (every OCMW when None) for `provider` (every provider when
    None), oldest declaration first."""
    query = select(BillingExemption)
    if ocmw is not None:
        query = query.where(BillingExemption.ocmw == ocmw)
    if provider is not None:
        query = query.where(BillingExemption.provider == provider)
    query = query.order_by(BillingExemption.declared_on, BillingExemption.exemption_id)
    return list(await session.scalars(query))


async def provider_kind(session: AsyncSession, riziv_number: str) -> ProviderKindRecord | None:
    return await session.get(ProviderKindRecord, riziv_number)
