from typing import Annotated

from fastapi import APIRouter, Header, Query, Response

from decision_registry.decisions import changes, service, transitions
from decision_registry.decisions.preconditions import parse_if_match
from decision_registry.decisions.schemas import (
    DecisionCreated,
    DecisionInput,
    DecisionView,
    ExtendRequest,
    StopRequest,
    SuspendRequest,
    VersionSummary,
)
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession
from servicekit.openapi_links import link, links
from servicekit.openapi_problems import problems

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])

Ocmw = Annotated[Principal, require(Role.OCMW)]
Reader = Annotated[Principal, require(Role.OCMW, Role.OPERATOR)]


def _etag(response: Response, view: DecisionView) -> DecisionView:
    response.headers["ETag"] = f'"{view.version}"'
    return view


_NUMBER = "$response.body#/decision_number"
_CREATED_LINKS = links(
    GetDecision=link("get", "/v1/decisions/{decision_number}", decision_number=_NUMBER),
    ReplaceDecision=link(
        "put",
        "/v1/decisions/{decision_number}",
        decision_number=_NUMBER,
        header_If_Match="$response.body#/version",
    ),
    ExtendDecision=link("post", "/v1/decisions/{decision_number}/extend", decision_number=_NUMBER),
    SuspendDecision=link(
        "post", "/v1/decisions/{decision_number}/suspend", decision_number=_NUMBER
    ),
    StopDecision=link("post", "/v1/decisions/{decision_number}/stop", decision_number=_NUMBER),
    ListVersions=link("get", "/v1/decisions/{decision_number}/versions", decision_number=_NUMBER),
)


@router.post("", status_code=201, response_model=DecisionCreated, responses={201: _CREATED_LINKS})
async def create_decision(
    request: DecisionInput, session: DbSession, caller: Ocmw, response: Response
) -> DecisionCreated:
    """File a decision; version 1 is stored and published, with its warnings (D-13)."""
    created = await service.create_decision(session, request=request, caller=caller)
    response.headers["ETag"] = f'"{created.version}"'
    return DecisionCreated(
        decision_number=created.decision_number,
        version=created.version,
        status=created.status,
        warnings=created.warnings,
    )


@router.get("/{decision_number}", response_model=DecisionView)
async def get_decision(
    decision_number: str, session: DbReadSession, caller: Reader, response: Response
) -> DecisionView:
    """The current version; `ETag` carries the version number."""
    current = await service.get_decision(session, decision_number=decision_number, caller=caller)
    return _etag(response, current)


@router.put("/{decision_number}", response_model=DecisionView, responses=problems(412, 428))
async def replace_decision(
    decision_number: str,
    request: DecisionInput,
    session: DbSession,
    caller: Ocmw,
    response: Response,
    if_match: Annotated[
        str | None, Header(description="The version the change is based on (the ETag read).")
    ] = None,
) -> DecisionView:
    """Restate the whole decision as a new version; a stale `If-Match` gives 412, none 428."""
    changed = await changes.replace_decision(
        session,
        decision_number=decision_number,
        request=request,
        expected_version=parse_if_match(if_match),
        caller=caller,
    )
    return _etag(response, changed)


@router.post("/{decision_number}/extend", response_model=DecisionView)
async def extend_decision(
    decision_number: str,
    request: ExtendRequest,
    session: DbSession,
    caller: Ocmw,
    response: Response,
) -> DecisionView:
    """Move the end date later under the same committee date (D-09); urgent medical aid beyond
    its 3-month period needs a new social inquiry (D-10)."""
    changed = await changes.extend_decision(
        session, decision_number=decision_number, request=request, caller=caller
    )
    return _etag(response, changed)


@router.post("/{decision_number}/suspend", response_model=DecisionView)
async def suspend_decision(
    decision_number: str,
    request: SuspendRequest,
    session: DbSession,
    caller: Ocmw,
    response: Response,
) -> DecisionView:
    """Suspend the decision; it can then only be reactivated or stopped (D-08)."""
    changed = await transitions.suspend_decision(
        session, decision_number=decision_number, request=request, caller=caller
    )
    return _etag(response, changed)


@router.post("/{decision_number}/reactivate", response_model=DecisionView)
async def reactivate_decision(
    decision_number: str, session: DbSession, caller: Ocmw, response: Response
) -> DecisionView:
    """Reactivate a suspended decision over the suspended days too (D-08; not with several
    pending mutations or a fund affiliation, D-11)."""
    changed = await transitions.reactivate_decision(
        session, decision_number=decision_number, caller=caller
    )
    return _etag(response, changed)


@router.post("/{decision_number}/stop", response_model=DecisionView)
async def stop_decision(
    decision_number: str,
    request: StopRequest,
    session: DbSession,
    caller: Ocmw,
    response: Response,
) -> DecisionView:
    """Stop the decision after `stop_date` (D-03, D-07, D-08)."""
    changed = await transitions.stop_decision(
        session, decision_number=decision_number, request=request, caller=caller
    )
    return _etag(response, changed)


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
    return await service.get_decision(
        session, decision_number=decision_number, caller=caller, version=version
    )


@router.get("", response_model=list[DecisionView])
async def list_for_person(
    session: DbReadSession,
    caller: Reader,
    ssin: Annotated[str, Query(description="INSZ/NISS or BIS")],
) -> list[DecisionView]:
    """The caller's decisions for one person, under any of the person's numbers (operators see
    all)."""
    return await service.list_for_person(session, ssin=ssin, caller=caller)
