from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Response

from consultation.certificate_reads.models import ReadEndpoint
from consultation.certificates import downloads, reading, service
from consultation.certificates.schemas import (
    CertificateRequest,
    CertificateVersionView,
    CertificateView,
)
from mediprima_contracts.values import BoundedDate, Ssin
from servicekit.auth import Principal, Role, require
from servicekit.http import DbSession
from servicekit.ratelimits import rate_limited

router = APIRouter(prefix="/v1/urgent-aid-certificates", tags=["urgent-aid certificates"])

Provider = Annotated[Principal, require(Role.GP)]
Reader = Annotated[Principal, require(Role.GP, Role.OCMW, Role.OPERATOR)]
_SEARCH_FORMATS: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/json": {}, "text/csv": {}},
        "description": "JSON, or CSV with `Accept: text/csv` (columns in the README).",
    }
}


@router.post("", status_code=201, response_model=CertificateView)
async def register_certificate(
    request: CertificateRequest, session: DbSession, caller: Provider
) -> CertificateView:
    """File an urgent-medical-aid (DMH) certificate (C-04): doctors and dentists only, over a
    bounded period within the person's urgent-aid cover (or at most 3 months before one)."""
    return await service.register_certificate(session, request=request, caller=caller)


@router.get(
    "",
    response_model=list[CertificateView],
    responses=_SEARCH_FORMATS,
    dependencies=[rate_limited("certificate-search")],
)
async def certificates_for(
    session: DbSession,
    caller: Reader,
    ssin: Annotated[Ssin, Query(description="The patient, under any of their numbers.")],
    from_: Annotated[
        BoundedDate | None, Query(alias="from", description="Valid on or after this day.")
    ] = None,
    to: Annotated[BoundedDate | None, Query(description="Valid on or before this day.")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> list[CertificateView] | Response:
    """The person's certificates in force (not withdrawn) over the period, if one is given
    (C-04). An OCMW reads only its clients' (403 `certificate.not_ocmw_client` otherwise).
    Reads of other authors' certificates are recorded."""
    csv = downloads.wants_csv(accept)
    found = await reading.certificates_for(
        session,
        ssin=ssin,
        start=from_,
        end=to,
        caller=caller,
        endpoint=ReadEndpoint.DOWNLOAD if csv else ReadEndpoint.SEARCH,
    )
    if not csv:
        return found
    return Response(
        downloads.as_csv(found),
        media_type=downloads.CSV_MEDIA_TYPE,
        headers={"Content-Disposition": 'attachment; filename="urgent-aid-certificates.csv"'},
    )


@router.get("/{certificate_number}", response_model=CertificateView)
async def certificate(
    certificate_number: str, session: DbSession, caller: Reader
) -> CertificateView:
    """One certificate as its latest version states it (C-04); the read is recorded."""
    return await reading.certificate(session, certificate_number=certificate_number, caller=caller)


@router.get("/{certificate_number}/versions", response_model=list[CertificateVersionView])
async def versions(
    certificate_number: str, session: DbSession, caller: Reader
) -> list[CertificateVersionView]:
    """Every version of a certificate, oldest first (C-04); the read is recorded."""
    return await reading.versions(session, certificate_number=certificate_number, caller=caller)


@router.put("/{certificate_number}", response_model=CertificateView)
async def correct_certificate(
    certificate_number: str, request: CertificateRequest, session: DbSession, caller: Provider
) -> CertificateView:
    """Correct a certificate by a new version (C-04): its author only; every version is kept and
    the new one published. The same facts again change nothing."""
    return await service.correct_certificate(
        session, certificate_number=certificate_number, request=request, caller=caller
    )


@router.delete("/{certificate_number}", status_code=204)
async def withdraw_certificate(
    certificate_number: str, session: DbSession, caller: Provider
) -> Response:
    """Withdraw a certificate: only its author, and only while no paid line relies on it (C-04)."""
    await service.withdraw_certificate(
        session, certificate_number=certificate_number, caller=caller
    )
    return Response(status_code=204)
