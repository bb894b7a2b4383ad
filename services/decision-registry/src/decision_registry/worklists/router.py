from typing import Annotated

from fastapi import APIRouter, Query

from decision_registry.worklists import service
from decision_registry.worklists.schemas import WorklistKind, WorklistPage
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession
from servicekit.paging import Offset

router = APIRouter(prefix="/v1/worklists", tags=["worklists"])


@router.get("/{kind}", response_model=WorklistPage)
async def get_worklist(
    kind: WorklistKind,
    session: DbReadSession,
    caller: Annotated[Principal, require(Role.OCMW, Role.OPERATOR)],
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
    offset: Offset = 0,
) -> WorklistPage:
    """What waits for the OCMW, earliest first: decisions suspended by register mutations,
    deaths reported by the register, urgent-aid cards and insurability transitions ending
    within 14 days, files handed over to it. An OCMW sees its own; operators see all."""
    return await service.worklist(session, kind=kind, caller=caller, limit=limit, offset=offset)
