"""C-02: what an agreement number guarantees, on a given day."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from consultation.agreements.schemas import AgreementView
from consultation.consultations import repository as consultations
from consultation.consultations.agreements import is_well_formed
from consultation.consultations.schemas import ConsultationAnswer
from consultation.decisions import service as decisions
from mediprima_contracts.components import CareType
from mediprima_domain.coverage import CareQuestion
from mediprima_domain.guarantee import AGREEMENT_UNKNOWN, guarantee_expired_c02, is_guaranteed_c02
from servicekit.auth import Principal
from servicekit.errors import NotFound


async def agreement_on(
    session: AsyncSession, *, agreement_number: str, on: date, caller: Principal
) -> AgreementView:
    """The guaranteed coverage within 30 days of the consultation, the current one after."""
    stored = None
    if is_well_formed(agreement_number):
        stored = await consultations.by_agreement_number(session, agreement_number)
    if stored is None or not (caller.is_operator or stored.provider == caller.subject):
        # Bound to its provider: another provider learns nothing, not even that it exists.
        raise NotFound.for_rule(
            AGREEMENT_UNKNOWN.rule,
            AGREEMENT_UNKNOWN.code,
            f"No agreement {agreement_number} for this provider",
        )
    assert stored.agreement_valid_until is not None  # only covered consultations have one
    consulted = ConsultationAnswer.model_validate(stored.answer)
    current = await decisions.answer_for(
        session,
        CareQuestion(
            ssin=stored.ssin,
            on=stored.care_date,
            care_type=CareType(stored.care_type) if stored.care_type else None,
            provider=stored.provider,
        ),
    )
    facts = {
        "agreement_number": agreement_number,
        "consultation_id": stored.consultation_id,
        "provider": stored.provider,
        "ssin": stored.ssin,
        "date": stored.care_date,
        "consulted_at": stored.consulted_at,
        "agreement_valid_until": stored.agreement_valid_until,
        "on": on,
        "current_version": current.decision.version if current.decision else None,
    }
    if is_guaranteed_c02(
        covered=stored.covered, valid_until=stored.agreement_valid_until, today=on
    ):
        return AgreementView(
            **facts,
            guaranteed=True,
            covered=True,
            decision_number=consulted.decision_number,
            version=consulted.version,
            ocmw=consulted.ocmw,
            coverages=consulted.coverages,
            urgent_medical_aid_certificate_required=(
                consulted.urgent_medical_aid_certificate_required
            ),
        )
    now = ConsultationAnswer.of(current, consultation_id=stored.consultation_id)
    return AgreementView(
        **facts,
        guaranteed=False,
        covered=now.covered,
        decision_number=now.decision_number,
        version=now.version,
        ocmw=now.ocmw,
        coverages=now.coverages,
        urgent_medical_aid_certificate_required=now.urgent_medical_aid_certificate_required,
        reasons=[guarantee_expired_c02(stored.agreement_valid_until), *now.reasons],
    )
