from typing import Annotated

from fastapi import APIRouter, Query, Response

from decision_registry.decisions import service
from decision_registry.decisions.schemas import (
    DecisionCreated,
    DecisionInput,
    DecisionView,
    VersionSummary,
)
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])

Ocmw = Annotated[Principal, require(Role.OCMW)]
Reader = Annotated[Principal, require(Role.OCMW, Role.OPERATOR)]


@router.post("", status_code=201, response_model=DecisionCreated)
async def create_decision(
    request: DecisionInput, session: DbSession, caller: Ocmw
) -> DecisionCreated:
    """File a decision; version 1 is stored and published."""
    created = await service.create_decision(session, request=request, caller=caller)
    return DecisionCreated(
        decision_number=created.decision_number,
        version=created.version,
        status=created.status,
        warnings=[],
    )


@router.get("/{decision_number}", response_model=DecisionView)
async def get_decision(
    decision_number: str, session: DbReadSession, caller: Reader, response: Response
) -> DecisionView:
    """The current version; `ETag` carries the version number."""
    current = await service.get_decision(session, decision_number=decision_number, caller=caller)
    response.headers["ETag"] = f'"{current.version}"'
    return DecisionView.model_validate(current.model_dump())


@router.get("/{decision_number}/versions", response_model=list[VersionSummary])
async def list_versions(
    decision_number: str, session: DbReadSession, caller: Reader
) -> list[VersionSummary]:
    """Every version of the decision, oldest first."""
    return await service.list_versions(session, decision_number=decision_number, caller=caller)


@router.get("/{decision_number}/versions/{version}", response_model=DecisionView)
async def get_version(
    decision_number: str, version: int, session: DbReadSession, caller: Reader
) -> DecisionView:
    """One version, whole, as it was filed."""
    stored = await service.get_decision(
        session, decision_number=decision_number, caller=caller, version=version
    )
    return DecisionView.model_validate(stored.model_dump())


@router.get("", response_model=list[DecisionView])
async def list_for_person(
    session: DbReadSession,
    caller: Reader,
    ssin: Annotated[str, Query(description="INSZ/NISS or BIS")],
) -> list[DecisionView]:
    """The caller's decisions for one person (operators see all)."""
    found = await service.list_for_person(session, ssin=ssin, caller=caller)
    return [DecisionView.model_validate(item.model_dump()) for item in found]
