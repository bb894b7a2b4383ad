"""Reading certificates (C-04): the search by person, one certificate, its versions."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from consultation.certificates import repository
from consultation.certificates.models import UrgentAidCertificate
from consultation.certificates.schemas import CertificateVersionView, CertificateView
from consultation.certificates.views import as_version_view, as_view, unknown
from consultation.decisions import service as decisions
from consultation.numbers import is_well_formed
from servicekit.auth import Principal


async def certificates_for(
    session: AsyncSession, *, ssin: str, start: date | None, end: date | None, caller: Principal
) -> list[CertificateView]:
    """C-04: the person's certificates in force over the days asked about, filed under any of
    the person's numbers (D-08)."""
    numbers = (await decisions.history_for(session, ssin)).numbers | {ssin}
    found = await repository.in_force_for(session, ssins=numbers, start=start, end=end)
    return [as_view(certificate) for certificate in found]


async def certificate(
    session: AsyncSession, *, certificate_number: str, caller: Principal
) -> CertificateView:
    """C-04: one certificate as its latest version states it, withdrawn or not."""
    return as_view(await _readable(session, certificate_number, caller))


async def versions(
    session: AsyncSession, *, certificate_number: str, caller: Principal
) -> list[CertificateVersionView]:
    """C-04: every version of a certificate, oldest first."""
    found = await _readable(session, certificate_number, caller)
    return [
        as_version_view(found.provider, version)
        for version in await repository.versions_of(session, certificate_number)
    ]


async def _readable(
    session: AsyncSession, certificate_number: str, caller: Principal
) -> UrgentAidCertificate:
    found = None
    if is_well_formed(certificate_number):
        found = await repository.get(session, certificate_number)
    if found is None:
        raise unknown(certificate_number)
    return found
