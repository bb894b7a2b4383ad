from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.directory.models import OcmwEntry


async def get(session: AsyncSession, enterprise_number: str) -> OcmwEntry | None:
    return await session.get(OcmwEntry, enterprise_number)


async def entries(session: AsyncSession, enterprise_numbers: Collection[str]) -> list[OcmwEntry]:
    rows = await session.scalars(
        select(OcmwEntry).where(OcmwEntry.enterprise_number.in_(list(enterprise_numbers)))
    )
    return list(rows)
