from typing import Annotated

from fastapi import APIRouter, Query

from mediprima_contracts.values import BoundedDate, EnterpriseNumber
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession
from servicekit.paging import Offset
from tariffing.notices import service
from tariffing.notices.repository import NoticeQuery
from tariffing.notices.schemas import FunderNoticePage

router = APIRouter(prefix="/v1/funder-notices", tags=["funder notices"])

Operator = Annotated[Principal, require(Role.OPERATOR)]


@router.get("", response_model=FunderNoticePage)
async def funder_notices(
    session: DbReadSession,
    caller: Operator,
    ocmw: Annotated[EnterpriseNumber | None, Query(description="Only this OCMW's.")] = None,
    from_: Annotated[
        BoundedDate | None, Query(alias="from", description="Care on or after.")
    ] = None,
    to: Annotated[BoundedDate | None, Query(description="Care on or before.")] = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Most items per page.")] = 100,
    offset: Offset = 0,
) -> FunderNoticePage:
    """D-05: accepted care outside hospitals that the funder learns of more than 45 days after
    it (the OCMW decided later than that); listed for the funder, never refused."""
    query = NoticeQuery(ocmw=ocmw, care_from=from_, care_to=to)
    return await service.notices(session, query=query, limit=limit, offset=offset)
