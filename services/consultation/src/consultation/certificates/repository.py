from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificates.models import UrgentAidCertificate


async def add(session: AsyncSession, certificate: UrgentAidCertificate) -> None:
    session.add(certificate)
    await session.flush()


async def get(session: AsyncSession, certificate_number: str) -> UrgentAidCertificate | None:
    return await session.get(UrgentAidCertificate, certificate_number)


async def in_force_for(
    session: AsyncSession, *, ssin: str, start: date | None, end: date | None
) -> list[UrgentAidCertificate]:
    """The person's certificates not withdrawn whose validity meets [start, end]."""
    conditions = [UrgentAidCertificate.ssin == ssin, UrgentAidCertificate.withdrawn_at.is_(None)]
    if end is not None:
        conditions.append(UrgentAidCertificate.valid_from <= end)
    if start is not None:
        conditions.append(
            or_(
                UrgentAidCertificate.valid_until.is_(None),
                UrgentAidCertificate.valid_until >= start,
            )
        )
    query = (
        select(UrgentAidCertificate)
        .where(*conditions)
        .order_by(UrgentAidCertificate.valid_from, UrgentAidCertificate.certificate_number)
    )
    return list(await session.scalars(query))
