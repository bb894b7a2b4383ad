"""Who learnt what of a person's cover through tariffing: for operators, and for the OCMW
covering the person (its own clients only)."""

from typing import Annotated

from fastapi import APIRouter, Query

from mediprima_contracts.values import Ssin
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession
from servicekit.paging import Offset
from servicekit.tenancy import Tenant
from tariffing.reads import repository
from tariffing.reads.schemas import PersonReadPage, PersonReadView

router = APIRouter(prefix="/v1/person-reads", tags=["audit"])

Auditor = Annotated[Principal, require(Role.OPERATOR, Role.OCMW)]


@router.get("", response_model=PersonReadPage)
async def person_reads(
    session: DbReadSession,
    caller: Auditor,
    ssin: Annotated[Ssin | None, Query(description="Only reads about this number.")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Most items per page.")] = 100,
    offset: Offset = 0,
) -> PersonReadPage:
    """Every pricing simulation about a person, oldest first: who asked, when, and the OCMW
    covering the person then. An OCMW sees the reads about the people it covers."""
    found = await repository.page(
        session, Tenant.of(caller), ssin=ssin, limit=limit + 1, offset=offset
    )
    return PersonReadPage(
        items=[
            PersonReadView(
                read_at=read.read_at,
                reader_role=read.reader_role,
                reader=read.reader,
                endpoint=read.endpoint,
                ssin=read.ssin,
                ocmw=read.ocmw,
            )
            for read in found[:limit]
        ],
        next_offset=offset + limit if len(found) > limit else None,
    )
