"""C-04: every read of a certificate by someone other than its author is recorded, in the
transaction of the read; operators search the record."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificate_reads import repository
from consultation.certificate_reads.models import CertificateRead, ReadEndpoint
from consultation.certificate_reads.repository import ReadQuery
from consultation.certificate_reads.schemas import CertificateReadPage, CertificateReadRecord
from consultation.certificates.models import UrgentAidCertificate
from consultation.decisions import service as decisions
from servicekit.auth import Principal, Role

log = structlog.get_logger()


async def record_read(
    session: AsyncSession,
    *,
    caller: Principal,
    certificates: Sequence[UrgentAidCertificate],
    ssin: str,
    endpoint: ReadEndpoint,
) -> None:
    """Record that `caller` read `certificates`, leaving out the ones it filed itself."""
    read = sorted(
        certificate.certificate_number
        for certificate in certificates
        if not (caller.role is Role.GP and certificate.provider == caller.subject)
    )
    if not read:
        return
    record = CertificateRead(
        read_id=str(uuid.uuid4()),
        read_at=datetime.now(UTC),
        reader=caller.subject,
        reader_role=caller.role.value,
        endpoint=endpoint.value,
        ssin=ssin,
        certificate_numbers=read,
    )
    await repository.add(session, record)
    log.info(
        "consultation.certificate.read_by_other",
        read_id=record.read_id,
        role=record.reader_role,
        endpoint=record.endpoint,
        certificates=len(read),
    )


async def reads(
    session: AsyncSession, *, query: ReadQuery, limit: int, offset: int
) -> CertificateReadPage:
    """C-04: the read trail by person (under every number, D-08), reader and period."""
    scoped = ReadQuery(
        ssins=await _numbers_of_person(session, query.ssins),
        reader=query.reader,
        since=query.since,
        until=query.until,
    )
    rows, total = await repository.page(session, scoped, limit=limit, offset=offset)
    return CertificateReadPage(
        items=[CertificateReadRecord.model_validate(row, from_attributes=True) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


async def _numbers_of_person(
    session: AsyncSession, asked: frozenset[str] | None
) -> frozenset[str] | None:
    if not asked:
        return asked
    numbers = set(asked)
    for ssin in asked:
        numbers |= (await decisions.history_for(session, ssin)).numbers
    return frozenset(numbers)
