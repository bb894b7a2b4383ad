from typing import Annotated

from fastapi import APIRouter

from decision_registry.refunds import service
from decision_registry.refunds.schemas import RefundSimulation, RefundSimulationRequest
from servicekit.auth import Principal, Role, require

router = APIRouter(prefix="/v1/refund-code-simulations", tags=["refund codes"])


@router.post("", response_model=RefundSimulation)
async def simulate_refund_code(
    request: RefundSimulationRequest,
    _caller: Annotated[Principal, require(Role.OCMW, Role.OPERATOR)],
) -> RefundSimulation:
    """D-12: the refund code and state share a decision with this situation would get; files
    nothing."""
    assessment = service.assess_refund(**dict(request))
    return RefundSimulation(
        refund_code=assessment.refund_code,
        state_share=service.state_share_of(assessment),
        urgent_medical_aid=assessment.urgent_medical_aid,
        policy_version=assessment.policy_version,
    )
