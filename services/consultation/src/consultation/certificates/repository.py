from collections.abc import Collection
from datetime import date

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificates.models import (
    CertificateReliance,
    CertificateVersion,
    UrgentAidCertificate,
)


async def add(session: AsyncSession, certificate: UrgentAidCertificate) -> None:
    session.add(certificate)
    await session.flush()


async def add_version(session: AsyncSession, version: CertificateVersion) -> None:
    session.add(version)
    await session.flush()


async def get(
    session: AsyncSession, certificate_number: str, *, lock: bool = False
) -> UrgentAidCertificate | None:
    """The certificate; `lock` holds its row until the transaction ends (a correction, a
    withdrawal and a payment of one certificate then take turns)."""
    return await session.get(UrgentAidCertificate, certificate_number, with_for_update=lock)


async def versions_of(session: AsyncSession, certificate_number: str) -> list[CertificateVersion]:
    query = (
        select(CertificateVersion)
        .where(CertificateVersion.certificate_number == certificate_number)
        .order_by(CertificateVersion.version)
    )
    return list(await session.scalars(query))


async def in_force_for(
    session: AsyncSession, *, ssins: Collection[str], start: date | None, end: date | None
) -> list[UrgentAidCertificate]:
    """Certificates about any of `ssins`, not withdrawn, whose validity meets [start, end]."""
    conditions: list[ColumnElement[bool]] = [
        UrgentAidCertificate.ssin.in_(sorted(ssins)),
        UrgentAidCertificate.withdrawn_at.is_(None),
    ]
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


async def reliance(
    session: AsyncSession, *, invoice_id: str, line_number: int
) -> CertificateReliance | None:
    return await session.get(CertificateReliance, (invoice_id, line_number))


async def add_reliance(session: AsyncSession, reliance: CertificateReliance) -> None:
    session.add(reliance)
    await session.flush()


async def paid_days(session: AsyncSession, certificate_number: str) -> list[date]:
    """The days of care of the paid lines relying on the certificate."""
    query = (
        select(CertificateReliance.date_of_care)
        .where(CertificateReliance.certificate_number == certificate_number)
        .distinct()
        .order_by(CertificateReliance.date_of_care)
    )
    return list(await session.scalars(query))
