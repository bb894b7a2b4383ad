from typing import Annotated

from fastapi import APIRouter, Request

from servicekit.auth import Principal, Role, require
from servicekit.http import DbSession
from tariffing.nomenclature.csv_format import COLUMNS
from tariffing.nomenclature.schemas import ImportProblem, ImportReport
from tariffing.nomenclature.service import import_tariffs

router = APIRouter(prefix="/v1/tariff-imports", tags=["nomenclature"])

Operator = Annotated[Principal, require(Role.OPERATOR)]

_EXAMPLE = (
    ",".join(COLUMNS)
    + "\n101032,2027-01-01,,34.25,30.25,33.25,4.00,gp,GP consultation with global medical record\n"
)


@router.post(
    "",
    response_model=ImportReport,
    responses={422: {"model": ImportProblem, "description": "Rejected rows; nothing imported."}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"text/csv": {"schema": {"type": "string"}, "example": _EXAMPLE}},
        }
    },
)
async def import_tariff_file(
    request: Request, session: DbSession, caller: Operator
) -> ImportReport:
    """Import a tariff CSV file (see the service README): every row is validated and the file is
    imported whole or not at all; identical rows already stored are skipped (T-05)."""
    text = (await request.body()).decode("utf-8-sig", errors="replace")
    return await import_tariffs(session, text=text)
