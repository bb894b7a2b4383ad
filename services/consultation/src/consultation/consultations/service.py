"""Consultation use cases."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from consultation.consultations import repository, rules
from consultation.consultations.agreements import new_agreement_number
from consultation.consultations.models import Consultation
from consultation.consultations.schemas import ConsultationAnswer, ConsultationRequest
from consultation.decisions import repository as decisions
from mediprima_contracts.events.consultations import ConsultationRecorded
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import RizivNumber
from servicekit.auth import Principal
from servicekit.messaging.outbox import emit

SOURCE = "consultation"


async def consult(
    session: AsyncSession, *, request: ConsultationRequest, caller: Principal
) -> ConsultationAnswer:
    """Answer C-01, record the consultation with its agreement number (C-02) and publish it."""
    provider = RizivNumber(caller.subject)
    rules.check_may_consult_c03(is_doctor=provider.is_doctor, is_hospital=provider.is_hospital)
    views = await decisions.current_versions_for(session, request.ssin)
    answer = rules.answer_coverage_c01(
        [DecisionVersionPublished.model_validate(view.snapshot) for view in views],
        on=request.date,
        care_type=request.care_type,
    )
    consulted_at = datetime.now(UTC)
    decision = answer.decision
    result = ConsultationAnswer(
        consultation_id=str(uuid.uuid4()),
        covered=answer.covered,
        decision_number=decision.decision_number if decision else None,
        version=decision.version if decision else None,
        ocmw=decision.ocmw if decision else None,
        coverages=answer.coverages,
        urgent_medical_aid_certificate_required=bool(decision and decision.urgent_medical_aid),
        agreement_number=new_agreement_number() if answer.covered else None,
        agreement_valid_until=(
            rules.agreement_valid_until_c02(consulted_at.date()) if answer.covered else None
        ),
    )
    await _record(session, request, result, provider=str(provider), consulted_at=consulted_at)
    return result


async def _record(
    session: AsyncSession,
    request: ConsultationRequest,
    result: ConsultationAnswer,
    *,
    provider: str,
    consulted_at: datetime,
) -> None:
    await repository.add(
        session,
        Consultation(
            consultation_id=result.consultation_id,
            agreement_number=result.agreement_number,
            provider=provider,
            ssin=request.ssin,
            care_date=request.date,
            consulted_at=consulted_at,
            agreement_valid_until=result.agreement_valid_until,
            covered=result.covered,
            decision_number=result.decision_number,
            version=result.version,
            answer=result.model_dump(mode="json"),
        ),
    )
    await emit(
        session,
        ConsultationRecorded(
            consultation_id=result.consultation_id,
            agreement_number=result.agreement_number,
            agreement_valid_until=result.agreement_valid_until,
            consulted_at=consulted_at,
            provider=provider,
            ssin=request.ssin,
            date=request.date,
            covered=result.covered,
            decision_number=result.decision_number,
            version=result.version,
            coverages=result.coverages,
            urgent_medical_aid_certificate_required=result.urgent_medical_aid_certificate_required,
        ),
        subject=request.ssin,
        source=SOURCE,
        occurred_at=consulted_at,
    )
