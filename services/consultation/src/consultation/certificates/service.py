"""Urgent-aid certificate use cases (C-04): file, search, withdraw; each published."""

from __future__ import annotations

from datetime import UTC, date, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificates import repository, rules
from consultation.certificates.models import UrgentAidCertificate
from consultation.certificates.schemas import CertificateRequest, CertificateView
from consultation.decisions import service as decisions
from consultation.numbers import is_well_formed, new_reference_number
from mediprima_contracts.events.certificates import CertificateRegistered, CertificateWithdrawn
from mediprima_domain.coverage import CareQuestion
from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.messaging.outbox import emit

SOURCE = "consultation"
log = structlog.get_logger()


async def register_certificate(
    session: AsyncSession, *, request: CertificateRequest, caller: Principal
) -> CertificateView:
    """C-04: a doctor or dentist files a certificate; tariffing learns of it from the event."""
    provider = rules.identified_certifier_c04(caller.subject)
    rules.check_may_certify_c04(is_doctor=provider.is_doctor, is_dentist=provider.is_dentist)
    await _check_period(session, request)
    certificate = UrgentAidCertificate(
        certificate_number=await _unused_number(session),
        ssin=request.ssin,
        provider=provider,
        care_type=request.care_type,
        valid_from=request.valid_from,
        valid_until=request.valid_until,
        registered_at=datetime.now(UTC),
        withdrawn_at=None,
    )
    await repository.add(session, certificate)
    await emit(session, CertificateRegistered(**_facts(certificate)), source=SOURCE)
    log.info("consultation.certificate.registered", certificate=certificate.certificate_number)
    return as_view(certificate)


async def certificates_for(
    session: AsyncSession, *, ssin: str, start: date | None, end: date | None
) -> list[CertificateView]:
    """C-04: the person's certificates in force over the days asked about."""
    found = await repository.in_force_for(session, ssin=ssin, start=start, end=end)
    return [as_view(certificate) for certificate in found]


async def withdraw_certificate(
    session: AsyncSession, *, certificate_number: str, caller: Principal
) -> None:
    """C-04: its author withdraws a certificate; withdrawing it again changes nothing."""
    certificate = None
    if is_well_formed(certificate_number):
        certificate = await repository.get(session, certificate_number)
    if certificate is None:
        raise NotFound.for_rule(
            "C-04", "certificate.unknown", f"No certificate {certificate_number}"
        )
    rules.check_author_c04(author=certificate.provider, caller=caller.subject)
    if certificate.withdrawn_at is not None:
        return
    certificate.withdrawn_at = datetime.now(UTC)
    await session.flush()
    await emit(session, CertificateWithdrawn(**_facts(certificate)), source=SOURCE)
    log.info("consultation.certificate.withdrawn", certificate=certificate_number)


async def _check_period(session: AsyncSession, request: CertificateRequest) -> None:
    """C-04: bounded, and within the person's urgent-aid cover of the care on its first day (the
    person under any of their numbers, D-08), or one urgent-aid period long at most."""
    validity = rules.check_validity_c04(
        valid_from=request.valid_from, valid_until=request.valid_until
    )
    answer = await decisions.answer_for(
        session,
        CareQuestion(ssin=request.ssin, on=request.valid_from, care_type=request.care_type),
    )
    rules.check_period_c04(validity, rules.urgent_aid_cover_c04(answer, request.care_type))


def as_view(certificate: UrgentAidCertificate) -> CertificateView:
    return CertificateView.model_validate(
        {**_facts(certificate), "registered_at": certificate.registered_at}
    )


def _facts(certificate: UrgentAidCertificate) -> dict[str, object]:
    return {
        "certificate_number": certificate.certificate_number,
        "ssin": certificate.ssin,
        "provider": certificate.provider,
        "care_type": certificate.care_type,
        "valid_from": certificate.valid_from,
        "valid_until": certificate.valid_until,
    }


async def _unused_number(session: AsyncSession) -> str:
    while await repository.get(session, number := new_reference_number()) is not None:
        log.warning("consultation.certificate_number.clash")
    return number
