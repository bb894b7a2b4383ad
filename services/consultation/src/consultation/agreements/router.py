from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query

from consultation.agreements import service
from consultation.agreements.schemas import AgreementView
from mediprima_contracts.values import BoundedDate
from servicekit.auth import Principal, Role, require
from servicekit.http import DbReadSession

router = APIRouter(prefix="/v1/agreements", tags=["agreements"])

Reader = Annotated[Principal, require(Role.GP, Role.OPERATOR)]


@router.get("/{agreement_number}", response_model=AgreementView)
async def agreement(
    agreement_number: str,
    session: DbReadSession,
    caller: Reader,
    on: Annotated[
        BoundedDate | None,
        Query(description="Day to judge the guarantee on; today (UTC) by default."),
    ] = None,
) -> AgreementView:
    """C-02: the coverage an agreement number guarantees; only for the provider holding it."""
    return await service.agreement_on(
        session,
        agreement_number=agreement_number,
        on=on or datetime.now(UTC).date(),
        caller=caller,
    )
