from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter

from mediprima_contracts.values import RizivNumber
from servicekit.auth import Principal, Role, require
from servicekit.errors import Unprocessable
from servicekit.http import DbSession
from servicekit.ratelimits import rate_limited
from tariffing.pricing.schemas import SimulationAnswer, SimulationRequest
from tariffing.pricing.service import LineToPrice, price_lines, with_billing_limit_i04
from tariffing.pricing.verdicts import line_view
from tariffing.reads.service import record_read

router = APIRouter(prefix="/v1/pricing-simulations", tags=["pricing"])

Caller = Annotated[Principal, require(Role.GP, Role.OPERATOR)]


@router.post("", response_model=SimulationAnswer, dependencies=[rate_limited("simulations")])
async def simulate(
    request: SimulationRequest, session: DbSession, caller: Caller
) -> SimulationAnswer:
    """Who pays what (state, OCMW, patient) for each code, exactly as an invoice line with the
    same facts would be priced; files nothing (T-04). The read is recorded: the operators and the
    OCMW covering the person see who asked (`GET /v1/person-reads`)."""
    today = datetime.now(UTC).date()
    if request.issued_on is not None and request.issued_on > today:
        raise Unprocessable.for_rule(
            "T-04",
            "simulation.issued_in_future",
            "An invoice is not issued in the future",
            "issued_on",
        )
    pricing = await price_lines(
        session,
        ssin=request.ssin,
        provider=_provider(caller, request),
        agreement_number=request.agreement_number,
        lines=[
            LineToPrice(line.code, request.date, line.amount, request.admission_date)
            for line in request.lines
        ],
        today=today,
        issued_on=request.issued_on,
    )
    answer = SimulationAnswer(
        lines=[
            line_view(with_billing_limit_i04(line, date_of_care=request.date, billed_on=today))
            for line in pricing.lines
        ]
    )
    await record_read(
        session,
        caller=caller,
        endpoint="pricing-simulations",
        ssin=request.ssin,
        person_id=pricing.person_id,
        ocmw=next((line.ocmw for line in answer.lines if line.ocmw is not None), None),
    )
    return answer


def _provider(caller: Principal, request: SimulationRequest) -> RizivNumber | None:
    """A GP simulates as itself; an operator may name the provider (else provider checks wait)."""
    if caller.role is Role.GP:
        if request.provider is not None and request.provider != caller.subject:
            raise Unprocessable.for_rule(
                "T-04", "provider.not_caller", "A GP simulates as itself", "provider"
            )
        return RizivNumber(caller.subject)
    return request.provider
