from typing import Annotated

from fastapi import APIRouter

from decision_registry.mutations import service
from decision_registry.mutations.schemas import (
    MutationAccepted,
    MutationReport,
    PendingOrPastMutation,
)
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession

router = APIRouter(tags=["register mutations"])


@router.post("/v1/mutations", status_code=202, response_model=MutationAccepted)
async def report_mutation(
    request: MutationReport,
    session: DbSession,
    _caller: Annotated[Principal, require(Role.REGISTER, Role.OPERATOR)],
) -> MutationAccepted:
    """The register feed reports a mutation; each open decision for the person gets a new
    version (D-08, D-07, D-11). A repeat is accepted and changes nothing."""
    return await service.apply_mutation(session, mutation=request)


@router.get("/v1/decisions/{decision_number}/mutations", response_model=list[PendingOrPastMutation])
async def list_decision_mutations(
    decision_number: str,
    session: DbReadSession,
    caller: Annotated[Principal, require(Role.OCMW, Role.OPERATOR)],
) -> list[PendingOrPastMutation]:
    """The register mutations on this decision: which wait for the OCMW (D-08)."""
    return await service.list_for_decision(session, decision_number=decision_number, caller=caller)
