from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from consultation.certificates import service
from consultation.certificates.schemas import CertificateRequest, CertificateView
from mediprima_contracts.values import Ssin
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession

router = APIRouter(prefix="/v1/urgent-aid-certificates", tags=["urgent-aid certificates"])

Provider = Annotated[Principal, require(Role.GP)]
Reader = Annotated[Principal, require(Role.GP, Role.OPERATOR)]


@router.post("", status_code=201, response_model=CertificateView)
async def register_certificate(
    request: CertificateRequest, session: DbSession, caller: Provider
) -> CertificateView:
    """File an urgent-medical-aid (DMH) certificate (C-04): doctors and dentists only."""
    return await service.register_certificate(session, request=request, caller=caller)


@router.get("", response_model=list[CertificateView])
async def certificates_for(
    session: DbReadSession,
    _caller: Reader,
    ssin: Annotated[Ssin, Query(description="The patient.")],
    from_: Annotated[
        date | None, Query(alias="from", description="Valid on or after this day.")
    ] = None,
    to: Annotated[date | None, Query(description="Valid on or before this day.")] = None,
) -> list[CertificateView]:
    """The person's certificates in force (not withdrawn) over the period, if one is given."""
    return await service.certificates_for(session, ssin=ssin, start=from_, end=to)


@router.delete("/{certificate_number}", status_code=204)
async def withdraw_certificate(
    certificate_number: str, session: DbSession, caller: Provider
) -> Response:
    """Withdraw a certificate: only the provider who filed it may (C-04)."""
    await service.withdraw_certificate(
        session, certificate_number=certificate_number, caller=caller
    )
    return Response(status_code=204)
