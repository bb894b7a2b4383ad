from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from consultation.consultations import service
from consultation.consultations.repository import AuditQuery
from consultation.consultations.schemas import (
    ConsultationAnswer,
    ConsultationPage,
    ConsultationRecord,
    ConsultationRequest,
)
from mediprima_contracts.values import RizivNumber, Ssin
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession, DbSession
from servicekit.paging import Offset
from servicekit.ratelimits import rate_limited

router = APIRouter(prefix="/v1/consultations", tags=["consultations"])

Provider = Annotated[Principal, require(Role.GP)]
Reader = Annotated[Principal, require(Role.GP, Role.OPERATOR, Role.OCMW)]


@router.post(
    "",
    status_code=201,
    response_model=ConsultationAnswer,
    dependencies=[rate_limited("consultations")],
)
async def consult(
    request: ConsultationRequest, session: DbSession, caller: Provider
) -> ConsultationAnswer:
    """Whether an OCMW covers the person on the date, with an agreement number when covered.

    An unknown person, a date outside every cover or a suspended decision answers
    `covered: false` with `reasons`, never an error. Every answer is recorded (C-03).
    """
    return await service.consult(session, request=request, caller=caller)


@router.get("", response_model=ConsultationPage)
async def audit_trail(
    session: DbReadSession,
    caller: Reader,
    ssin: Annotated[
        Ssin | None,
        Query(description="Only consultations about this person, under any of their numbers."),
    ] = None,
    provider: Annotated[
        RizivNumber | None, Query(description="Only this provider's (operators).")
    ] = None,
    from_: Annotated[
        date | None, Query(alias="from", description="Consulted on or after this day (UTC).")
    ] = None,
    to: Annotated[date | None, Query(description="Consulted on or before this day (UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Most items per page.")] = 50,
    offset: Offset = 0,
) -> ConsultationPage:
    """The consultation audit trail (C-03), newest first: operators read all, a provider its own,
    an OCMW those whose answer named its decision (the people it covers)."""
    query = AuditQuery(
        ssins=frozenset({ssin}) if ssin else None,
        provider=provider,
        since=_start_of(from_),
        until=_start_of(to + timedelta(days=1)) if to and to < date.max else None,
    )
    return await service.audit_trail(
        session, query=query, caller=caller, limit=limit, offset=offset
    )


@router.get("/{consultation_id}", response_model=ConsultationRecord)
async def consultation_record(
    consultation_id: str, session: DbReadSession, caller: Reader
) -> ConsultationRecord:
    """One recorded consultation with the answer as given; a provider reads only its own, an
    OCMW only one whose answer named its decision."""
    return await service.consultation_record(
        session, consultation_id=consultation_id, caller=caller
    )


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None
