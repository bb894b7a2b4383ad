from typing import Annotated

from fastapi import APIRouter

from decision_registry.mutations import service
from decision_registry.mutations.schemas import MutationAccepted, MutationReport
from servicekit.auth import Principal, Role, require
from servicekit.http import DbSession

router = APIRouter(prefix="/v1/mutations", tags=["register mutations"])


@router.post("", status_code=202, response_model=MutationAccepted)
async def report_mutation(
    request: MutationReport,
    session: DbSession,
    _caller: Annotated[Principal, require(Role.REGISTER, Role.OPERATOR)],
) -> MutationAccepted:
    """The register feed reports a mutation; each open decision for the person gets a new
    version (D-08, D-07, D-11). A repeat is accepted and changes nothing."""
    return await service.apply_mutation(session, mutation=request)
