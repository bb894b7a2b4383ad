"""Reading certificates (C-04): the search by person, one certificate, its versions. An OCMW
reads only its clients' (see `access`); every read of another author's certificate is recorded
in the same transaction."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificate_reads import service as audit
from consultation.certificate_reads.models import ReadEndpoint
from consultation.certificates import access, repository
from consultation.certificates.models import UrgentAidCertificate
from consultation.certificates.schemas import CertificateVersionView, CertificateView
from consultation.certificates.views import as_version_view, as_view, unknown
from consultation.decisions import service as decisions
from consultation.numbers import is_well_formed
from mediprima_domain.coverage import DecisionHistory
from servicekit.auth import Principal, Role


async def certificates_for(
    session: AsyncSession,
    *,
    ssin: str,
    start: date | None,
    end: date | None,
    caller: Principal,
    endpoint: ReadEndpoint = ReadEndpoint.SEARCH,
) -> list[CertificateView]:
    """C-04: the person's certificates in force over the days asked about, filed under any of
    the person's numbers (D-08); an OCMW gets its client's for the days it was competent."""
    history = await decisions.history_for(session, ssin)
    found = await repository.in_force_for(
        session, ssins=history.numbers | {ssin}, start=start, end=end
    )
    if caller.role is Role.OCMW:
        periods = access.competence_periods_c04(history, caller.subject)
        access.check_ocmw_client_c04(periods)
        found = [
            certificate
            for certificate in found
            if access.visible_to_ocmw_c04(
                valid_from=certificate.valid_from,
                valid_until=certificate.valid_until,
                periods=periods,
            )
        ]
    await audit.record_read(
        session, caller=caller, certificates=found, ssin=ssin, endpoint=endpoint, history=history
    )
    return [as_view(certificate) for certificate in found]


async def certificate(
    session: AsyncSession, *, certificate_number: str, caller: Principal
) -> CertificateView:
    """C-04: one certificate as its latest version states it, withdrawn or not."""
    found = await _readable(session, certificate_number, caller, ReadEndpoint.CERTIFICATE)
    return as_view(found)


async def versions(
    session: AsyncSession, *, certificate_number: str, caller: Principal
) -> list[CertificateVersionView]:
    """C-04: every version of a certificate, oldest first."""
    found = await _readable(session, certificate_number, caller, ReadEndpoint.VERSIONS)
    return [
        as_version_view(found.provider, version)
        for version in await repository.versions_of(session, certificate_number)
    ]


async def _readable(
    session: AsyncSession, certificate_number: str, caller: Principal, endpoint: ReadEndpoint
) -> UrgentAidCertificate:
    """The certificate when the caller may read it, the read recorded; else 404, so an OCMW
    learns nothing of certificates that are not its clients'."""
    found = None
    if is_well_formed(certificate_number):
        found = await repository.get(session, certificate_number)
    if found is None:
        raise unknown(certificate_number)
    # An OCMW's access and the read's record both need the person's decisions: read them once.
    history = await decisions.history_for(session, found.ssin) if caller.role is Role.OCMW else None
    if history is not None and not _ocmw_may_read(found, caller, history):
        raise unknown(certificate_number)
    await audit.record_read(
        session,
        caller=caller,
        certificates=[found],
        ssin=found.ssin,
        endpoint=endpoint,
        history=history,
    )
    return found


def _ocmw_may_read(
    certificate: UrgentAidCertificate, caller: Principal, history: DecisionHistory
) -> bool:
    return access.visible_to_ocmw_c04(
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        periods=access.competence_periods_c04(history, caller.subject),
    )
