"""Urgent-aid certificate changes (C-04): file, correct by a new version, withdraw; each one
published for tariffing in the same transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificates import repository, rules
from consultation.certificates.models import CertificateVersion, UrgentAidCertificate
from consultation.certificates.schemas import CertificateRequest, CertificateView
from consultation.certificates.views import as_view, facts, unknown
from consultation.decisions import service as decisions
from consultation.numbers import is_well_formed, new_reference_number
from mediprima_contracts.events.certificates import CertificateRegistered, CertificateWithdrawn
from mediprima_contracts.values import Period
from mediprima_domain.coverage import CareQuestion
from servicekit.auth import Principal
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
    now = datetime.now(UTC)
    certificate = UrgentAidCertificate(
        certificate_number=await _unused_number(session),
        ssin=request.ssin,
        provider=provider,
        care_type=request.care_type,
        valid_from=request.valid_from,
        valid_until=request.valid_until,
        version=1,
        registered_at=now,
        corrected_at=None,
        withdrawn_at=None,
        relied_on_at=None,
    )
    await repository.add(session, certificate)
    await _keep_version(session, certificate, filed_at=now)
    log.info("consultation.certificate.registered", certificate=certificate.certificate_number)
    return as_view(certificate)


async def correct_certificate(
    session: AsyncSession,
    *,
    certificate_number: str,
    request: CertificateRequest,
    caller: Principal,
) -> CertificateView:
    """C-04: its author corrects a certificate by a new version; every version is kept. The same
    facts again change nothing."""
    certificate = await _authored(session, certificate_number, caller)
    rules.check_correctable_c04(withdrawn=certificate.withdrawn_at is not None)
    if _states(certificate, request):
        return as_view(certificate)
    validity = await _check_period(session, request)
    if certificate.relied_on_at is not None:
        numbers = (await decisions.history_for(session, certificate.ssin)).numbers
        rules.check_keeps_paid_care_c04(
            same_person=request.ssin in numbers | {certificate.ssin},
            same_care_type=request.care_type == certificate.care_type,
            validity=validity,
            paid_days=await repository.paid_days(session, certificate_number),
        )
    now = datetime.now(UTC)
    certificate.ssin = request.ssin
    certificate.care_type = request.care_type
    certificate.valid_from = request.valid_from
    certificate.valid_until = request.valid_until
    certificate.version += 1
    certificate.corrected_at = now
    await session.flush()
    await _keep_version(session, certificate, filed_at=now)
    log.info(
        "consultation.certificate.corrected",
        certificate=certificate_number,
        version=certificate.version,
    )
    return as_view(certificate)


async def withdraw_certificate(
    session: AsyncSession, *, certificate_number: str, caller: Principal
) -> None:
    """C-04: its author withdraws a certificate no paid line relies on; withdrawing it again
    changes nothing."""
    certificate = await _authored(session, certificate_number, caller)
    if certificate.withdrawn_at is not None:
        return
    rules.check_withdrawable_c04(relied_on=certificate.relied_on_at is not None)
    certificate.withdrawn_at = datetime.now(UTC)
    await session.flush()
    await emit(session, CertificateWithdrawn(**facts(certificate)), source=SOURCE)
    log.info("consultation.certificate.withdrawn", certificate=certificate_number)


async def _authored(
    session: AsyncSession, certificate_number: str, caller: Principal
) -> UrgentAidCertificate:
    """The certificate, locked for the change, when the caller filed it (403 otherwise)."""
    certificate = None
    if is_well_formed(certificate_number):
        certificate = await repository.get(session, certificate_number, lock=True)
    if certificate is None:
        raise unknown(certificate_number)
    rules.check_author_c04(author=certificate.provider, caller=caller.subject)
    return certificate


async def _check_period(session: AsyncSession, request: CertificateRequest) -> Period:
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
    return validity


def _states(certificate: UrgentAidCertificate, request: CertificateRequest) -> bool:
    """Does the certificate's latest version already state what `request` asks?"""
    return (
        certificate.ssin,
        certificate.care_type,
        certificate.valid_from,
        certificate.valid_until,
    ) == (request.ssin, request.care_type, request.valid_from, request.valid_until)


async def _keep_version(
    session: AsyncSession, certificate: UrgentAidCertificate, *, filed_at: datetime
) -> None:
    """Store the certificate's latest version and publish it (`CertificateRegistered`)."""
    await repository.add_version(
        session,
        CertificateVersion(
            certificate_number=certificate.certificate_number,
            version=certificate.version,
            ssin=certificate.ssin,
            care_type=certificate.care_type,
            valid_from=certificate.valid_from,
            valid_until=certificate.valid_until,
            filed_at=filed_at,
        ),
    )
    await emit(session, CertificateRegistered(**facts(certificate)), source=SOURCE)


async def _unused_number(session: AsyncSession) -> str:
    while await repository.get(session, number := new_reference_number()) is not None:
        log.warning("consultation.certificate_number.clash")
    return number
