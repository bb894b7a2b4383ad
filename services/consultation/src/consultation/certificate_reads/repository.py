from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificate_reads.models import CertificateRead
from servicekit.auth import Role
from servicekit.tenancy import Tenant


async def add(session: AsyncSession, read: CertificateRead) -> None:
    session.add(read)
    await session.flush()


@dataclass(frozen=True)
class ReadQuery:
    """Filters of the certificate read trail; `until` excluded; `ssins` are one person's numbers."""

    ssins: frozenset[str] | None
    reader: str | None
    since: datetime | None
    until: datetime | None


OWNERS = {Role.OCMW: CertificateRead.ocmw}
"""A read belongs to the trail of the OCMW covering the person read about."""


async def page(
    session: AsyncSession, tenant: Tenant, query: ReadQuery, *, limit: int, offset: int
) -> tuple[list[CertificateRead], int]:
    """One page of the matching reads `tenant` may see, newest first, and how many in all."""
    conditions: list[ColumnElement[bool]] = []
    if (owned := tenant.owns(OWNERS)) is not None:
        conditions.append(owned)
    if query.ssins is not None:
        conditions.append(CertificateRead.ssin.in_(sorted(query.ssins)))
    if query.reader is not None:
        conditions.append(CertificateRead.reader == query.reader)
    if query.since is not None:
        conditions.append(CertificateRead.read_at >= query.since)
    if query.until is not None:
        conditions.append(CertificateRead.read_at < query.until)
    total = await session.scalar(
        select(func.count()).select_from(CertificateRead).where(*conditions)
    )
    rows = await session.scalars(
        select(CertificateRead)
        .where(*conditions)
        .order_by(CertificateRead.read_at.desc(), CertificateRead.read_id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total or 0)
