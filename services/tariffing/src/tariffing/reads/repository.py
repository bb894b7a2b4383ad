from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit import statements
from servicekit.auth import Role
from servicekit.db import table_of
from servicekit.tenancy import Tenant
from tariffing.reads.models import PersonRead

OWNERS = {Role.OCMW: PersonRead.ocmw}
"""A read is the covering OCMW's to see (and every operator's)."""


_KEEP = insert(table_of(PersonRead))


async def add(session: AsyncSession, read: Mapping[str, Any]) -> None:
    """A read as a row of `PersonRead`'s columns."""
    await statements.run(session, _KEEP, dict(read))


async def page(
    session: AsyncSession, tenant: Tenant, *, ssin: str | None, limit: int, offset: int
) -> list[PersonRead]:
    query = tenant.restrict(select(PersonRead), OWNERS)
    if ssin is not None:
        query = query.where(PersonRead.ssin == ssin)
    query = query.order_by(PersonRead.read_at, PersonRead.read_id).limit(limit).offset(offset)
    return list(await session.scalars(query))
