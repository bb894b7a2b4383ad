from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.auth import Role
from settlement.directory.models import DecisionPerson, OcmwEntry

PERSON_OWNERS = {Role.OCMW: DecisionPerson.ocmw}
"""A decision's person is its OCMW's (S-02); only the service itself reads them (consumers,
the run that freezes them into a month)."""


async def get(session: AsyncSession, enterprise_number: str) -> OcmwEntry | None:
    return await session.get(OcmwEntry, enterprise_number)


async def entries(session: AsyncSession, enterprise_numbers: Collection[str]) -> list[OcmwEntry]:
    rows = await session.scalars(
        select(OcmwEntry).where(OcmwEntry.enterprise_number.in_(list(enterprise_numbers)))
    )
    return list(rows)


async def decision_person(session: AsyncSession, decision_number: str) -> DecisionPerson | None:
    return await session.get(DecisionPerson, decision_number)
