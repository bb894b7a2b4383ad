"""C-04: every read of a certificate by someone other than its author is recorded, in the
transaction of the read; operators search the record, an OCMW the reads about its clients."""

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
from mediprima_domain.coverage import CareQuestion, DecisionHistory, resolve_coverage
from servicekit.auth import Principal, Role
from servicekit.tenancy import Tenant

log = structlog.get_logger()


async def record_read(
    session: AsyncSession,
    *,
    caller: Principal,
    certificates: Sequence[UrgentAidCertificate],
    ssin: str,
    endpoint: ReadEndpoint,
    history: DecisionHistory | None = None,
) -> None:
    """Record that `caller` read `certificates`, leaving out the ones it filed itself, for the
    operators and for the OCMW that covered the person on the first day the certificates read
    are valid (`history`: the person's decisions, when the caller has read them already)."""
    read = sorted(
        certificate.certificate_number
        for certificate in certificates
        if not (caller.role is Role.GP and certificate.provider == caller.subject)
    )
    if not read:
        return
    read_at = datetime.now(UTC)
    if history is None:
        history = await decisions.history_for(session, ssin)
    # Certificates are read about care already given: the OCMW of that care, from its first day.
    first_day = min(c.valid_from for c in certificates if c.certificate_number in read)
    covering = resolve_coverage(history, CareQuestion(ssin=ssin, on=first_day)).ocmw
    record = CertificateRead(
        read_id=str(uuid.uuid4()),
        read_at=read_at,
        reader=caller.subject,
        reader_role=caller.role.value,
        endpoint=endpoint.value,
        ssin=ssin,
        certificate_numbers=read,
        ocmw=covering.enterprise_number if covering else None,
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
    session: AsyncSession, *, query: ReadQuery, caller: Principal, limit: int, offset: int
) -> CertificateReadPage:
    """C-04: the read trail by person (under every number, D-08), reader and period; an OCMW
    sees the reads of certificates about care it covered."""
    scoped = ReadQuery(
        ssins=await _numbers_of_person(session, query.ssins),
        reader=query.reader,
        since=query.since,
        until=query.until,
    )
    rows, total = await repository.page(
        session, Tenant.of(caller), scoped, limit=limit, offset=offset
    )
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
