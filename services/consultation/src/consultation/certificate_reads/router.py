from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from consultation.certificate_reads import service
from consultation.certificate_reads.repository import ReadQuery
from consultation.certificate_reads.schemas import CertificateReadPage
from mediprima_contracts.values import Ssin
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession
from servicekit.paging import Offset

router = APIRouter(prefix="/v1/urgent-aid-certificates/reads", tags=["urgent-aid certificates"])

Auditor = Annotated[Principal, require(Role.OPERATOR, Role.OCMW)]


@router.get("", response_model=CertificateReadPage)
async def reads(
    session: DbReadSession,
    caller: Auditor,
    ssin: Annotated[
        Ssin | None, Query(description="Reads about this person, under any of their numbers.")
    ] = None,
    reader: Annotated[
        str | None, Query(max_length=100, description="Reads by this reader (token subject).")
    ] = None,
    from_: Annotated[
        date | None, Query(alias="from", description="Read on or after this day (UTC).")
    ] = None,
    to: Annotated[date | None, Query(description="Read on or before this day (UTC).")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Most items per page.")] = 50,
    offset: Offset = 0,
) -> CertificateReadPage:
    """C-04: who read which certificates other than their own, newest first: operators see
    every read, an OCMW the reads of certificates about care it covered."""
    query = ReadQuery(
        ssins=frozenset({ssin}) if ssin else None,
        reader=reader,
        since=_start_of(from_),
        until=_start_of(to + timedelta(days=1)) if to and to < date.max else None,
    )
    return await service.reads(session, query=query, caller=caller, limit=limit, offset=offset)


def _start_of(day: date | None) -> datetime | None:
    return datetime.combine(day, time.min, tzinfo=UTC) if day else None
