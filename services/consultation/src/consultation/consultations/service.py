"""Consultation use cases: answer and record (C-01..C-03), read back the audit trail."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.billing import service as billing
from consultation.consultations import repository, rules
from consultation.consultations.agreements import new_agreement_number
from consultation.consultations.models import Consultation
from consultation.consultations.repository import AuditQuery
from consultation.consultations.schemas import (
    ConsultationAnswer,
    ConsultationPage,
    ConsultationRecord,
    ConsultationRequest,
)
from consultation.decisions import service as decisions
from mediprima_contracts.components import CareType
from mediprima_contracts.events.consultations import ConsultationRecorded
from mediprima_contracts.values import RizivNumber
from mediprima_domain.coverage import (
    CareQuestion,
    CoverageAnswer,
    DecisionHistory,
    resolve_coverage,
)
from mediprima_domain.guarantee import agreement_valid_until_c02
from servicekit.auth import Principal, Role
from servicekit.errors import NotFound
from servicekit.messaging.outbox import emit
from servicekit.tenancy import Tenant

SOURCE = "consultation"
log = structlog.get_logger()


async def consult(
    session: AsyncSession, *, request: ConsultationRequest, caller: Principal
) -> ConsultationAnswer:
    """Answer C-01 with the billing route (I-06), record the consultation with its agreement
    number (C-02) and publish it."""
    provider = rules.identified_provider_c03(caller.subject)
    rules.check_may_consult_c03(is_doctor=provider.is_doctor, is_hospital=provider.is_hospital)
    history = await decisions.history_for(session, request.ssin)
    question = CareQuestion(
        ssin=request.ssin, on=request.date, care_type=request.care_type, provider=provider
    )
    answer = resolve_coverage(history, question)
    consulted_at = datetime.now(UTC)
    route = await billing.route_for(
        session,
        provider=provider,
        answer=_billed_care(history, question, answer, provider),
        billing_day=consulted_at.date(),
    )
    result = await _record(
        session,
        request,
        lambda agreement_number: ConsultationAnswer.of(
            answer,
            consultation_id=str(uuid.uuid4()),
            agreement_number=agreement_number,
            agreement_valid_until=(
                agreement_valid_until_c02(consulted_at.date()) if answer.covered else None
            ),
            billing=route,
        ),
        covered=answer.covered,
        provider=str(provider),
        person_id=answer.person_id,
        consulted_at=consulted_at,
    )
    log.info(
        "consultation.consultation.recorded",
        consultation_id=result.consultation_id,
        covered=result.covered,
        reasons=[reason.code for reason in result.reasons],
        billing_route=route.code,
    )
    return result


def _billed_care(
    history: DecisionHistory,
    question: CareQuestion,
    answer: CoverageAnswer,
    provider: RizivNumber,
) -> CoverageAnswer:
    """The coverage of the care the provider bills: the care type asked, else a doctor's GP care
    (the circular's "zorgen verstrekt door een huisarts"), else (a hospital) any care."""
    if question.care_type is not None or not provider.is_doctor:
        return answer
    return resolve_coverage(history, replace(question, care_type=CareType.GENERAL_MEDICINE))


async def consultation_record(
    session: AsyncSession, *, consultation_id: str, caller: Principal
) -> ConsultationRecord:
    """One consultation of the audit trail; a provider reads only its own (404 otherwise)."""
    stored = await repository.get(session, consultation_id, Tenant.of(caller))
    if stored is None:
        raise NotFound.for_rule(
            None, "consultation.not_found", f"No consultation {consultation_id}"
        )
    return as_record(stored)


async def audit_trail(
    session: AsyncSession,
    *,
    query: AuditQuery,
    caller: Principal,
    limit: int,
    offset: int,
) -> ConsultationPage:
    """C-03: consultations by person, provider and period; a provider sees only its own, an OCMW
    those about the people it covers."""
    provider = rules.audit_provider_scope_c03(
        is_provider=caller.role is Role.GP, caller=caller.subject, provider=query.provider
    )
    scoped = AuditQuery(
        ssins=await _numbers_of_person(session, query.ssins),
        provider=provider,
        since=query.since,
        until=query.until,
    )
    rows, total = await repository.page(
        session, Tenant.of(caller), scoped, limit=limit, offset=offset
    )
    return ConsultationPage(
        items=[as_record(row) for row in rows], total=total, limit=limit, offset=offset
    )


def as_record(stored: Consultation) -> ConsultationRecord:
    return ConsultationRecord.model_validate(
        {
            "consultation_id": stored.consultation_id,
            "provider": stored.provider,
            "ssin": stored.ssin,
            "date": stored.care_date,
            "care_type": stored.care_type,
            "consulted_at": stored.consulted_at,
            "answer": stored.answer,
        }
    )


async def _numbers_of_person(
    session: AsyncSession, asked: frozenset[str] | None
) -> frozenset[str] | None:
    """Every number of the person asked about, so the trail follows the person (D-08)."""
    if not asked:
        return asked
    numbers = set(asked)
    for ssin in asked:
        numbers |= (await decisions.history_for(session, ssin)).numbers
    return frozenset(numbers)


async def _record(
    session: AsyncSession,
    request: ConsultationRequest,
    answer_with: Callable[[str | None], ConsultationAnswer],
    *,
    covered: bool,
    provider: str,
    person_id: str | None,
    consulted_at: datetime,
) -> ConsultationAnswer:
    """Store the answer with a fresh agreement number when covered (C-02) and publish it; a
    number already given (one in ten billion) just draws again."""
    while True:
        result = answer_with(new_agreement_number() if covered else None)
        stored = await repository.add_unless_number_taken(
            session,
            {
                "consultation_id": result.consultation_id,
                "agreement_number": result.agreement_number,
                "provider": provider,
                "ssin": request.ssin,
                "person_id": person_id,
                "care_date": request.date,
                "care_type": request.care_type,
                "consulted_at": consulted_at,
                "agreement_valid_until": result.agreement_valid_until,
                "covered": result.covered,
                "decision_number": result.decision_number,
                "version": result.version,
                "ocmw": result.ocmw.enterprise_number if result.ocmw else None,
                "answer": result.model_dump(mode="json"),
            },
        )
        if stored:
            break
        log.warning("consultation.agreement_number.clash")
    await emit(
        session,
        ConsultationRecorded(
            consultation_id=result.consultation_id,
            agreement_number=result.agreement_number,
            agreement_valid_until=result.agreement_valid_until,
            consulted_at=consulted_at,
            provider=provider,
            ssin=request.ssin,
            person_id=person_id,
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
    return result
