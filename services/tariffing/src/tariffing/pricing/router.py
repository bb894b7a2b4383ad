from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter

from servicekit.auth import Principal, Role, require
from servicekit.errors import ProblemItem
from servicekit.http import DbReadSession
from tariffing.pricing.rules import LinePrice
from tariffing.pricing.schemas import PricedLineView, SimulationAnswer, SimulationRequest
from tariffing.pricing.service import LineToPrice, price_lines

router = APIRouter(prefix="/v1/pricing-simulations", tags=["pricing"])

Caller = Annotated[Principal, require(Role.GP, Role.OPERATOR)]


@router.post("", response_model=SimulationAnswer)
async def simulate(
    request: SimulationRequest, session: DbReadSession, caller: Caller
) -> SimulationAnswer:
    """Who pays what (state, OCMW, patient) for each code; files nothing (T-04)."""
    priced = await price_lines(
        session,
        ssin=request.ssin,
        lines=[LineToPrice(line.code, request.date, line.amount) for line in request.lines],
        today=datetime.now(UTC).date(),
    )
    return SimulationAnswer(lines=[line_view(line) for line in priced])


def line_view(line: LinePrice) -> PricedLineView:
    refusal = line.refusal
    return PricedLineView(
        code=line.code,
        fee=line.fee,
        state_share=line.state_share,
        ocmw_share=line.ocmw_share,
        patient_share=line.patient_share,
        refusal=(
            ProblemItem(rule=refusal.rule, code=refusal.code, message=refusal.message)
            if refusal
            else None
        ),
    )
