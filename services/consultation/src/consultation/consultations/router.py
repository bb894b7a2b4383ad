from typing import Annotated

from fastapi import APIRouter

from consultation.consultations import service
from consultation.consultations.schemas import ConsultationAnswer, ConsultationRequest
from servicekit.auth import Principal, Role, require
from servicekit.http import DbSession

router = APIRouter(prefix="/v1/consultations", tags=["consultations"])

Provider = Annotated[Principal, require(Role.GP)]


@router.post("", status_code=201, response_model=ConsultationAnswer)
async def consult(
    request: ConsultationRequest, session: DbSession, caller: Provider
) -> ConsultationAnswer:
    """Whether an OCMW covers the person on the date, with an agreement number when covered."""
    return await service.consult(session, request=request, caller=caller)
