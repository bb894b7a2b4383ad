from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from mediprima_contracts.values import BoundedDate
from servicekit.auth import Principal, Role, require
from servicekit.errors import NotFound
from servicekit.http import DbReadSession
from tariffing.nomenclature import repository
from tariffing.nomenclature.schemas import TariffView

router = APIRouter(prefix="/v1/nomenclature", tags=["nomenclature"])

Caller = Annotated[Principal, require(Role.GP, Role.OPERATOR)]


@router.get("/{code}", response_model=TariffView)
async def tariff_in_force(
    code: str,
    session: DbReadSession,
    caller: Caller,
    on: Annotated[
        BoundedDate | None, Query(alias="date", description="Date of care; today when omitted")
    ] = None,
) -> TariffView:
    """The tariff of a code in force on a date (T-05)."""
    day = on or datetime.now(UTC).date()
    tariff = await repository.in_force(session, code=code, on=day)
    if tariff is None:
        raise NotFound.for_rule("T-01", "code_unknown", f"No tariff for {code} on {day}")
    return TariffView.of(tariff)
