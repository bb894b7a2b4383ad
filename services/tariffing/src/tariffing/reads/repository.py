from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.auth import Role
from servicekit.tenancy import Tenant
from tariffing.reads.models import PersonRead

OWNERS = {Role.OCMW: PersonRead.ocmw}
"""A read is the covering OCMW's to see (and every operator's)."""


async def add(session: AsyncSession, read: PersonRead) -> None:
    session.add(read)


async def page(
    session: AsyncSession, tenant: Tenant, *, ssin: str | None, limit: int, offset: int
) -> list[PersonRead]:
    query = tenant.restrict(select(PersonRead), OWNERS)
    if ssin is not None:
        query = query.where(PersonRead.ssin == ssin)
    query = query.order_by(PersonRead.read_at, PersonRead.read_id).limit(limit).offset(offset)
    return list(await session.scalars(query))
