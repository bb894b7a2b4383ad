"""Filing and reading decisions. The caller's transaction commits; nothing here does."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository, rules
from decision_registry.decisions.models import Decision
from decision_registry.decisions.numbers import decision_number_for
from decision_registry.decisions.schemas import DecisionInput, DecisionView, VersionSummary
from decision_registry.decisions.versions import (
    load_current,
    record_version,
    snapshot_from_input,
    view_of,
)
from decision_registry.reference import medical_vocabulary
from decision_registry.refunds.service import assess_refund
from mediprima_contracts.components import ChangeKind, DecisionStatus
from servicekit.auth import Principal
from servicekit.errors import NotFound


def assess_input(request: DecisionInput) -> rules.RefundAssessment:
    """D-12 for a filed decision: the same function the simulation answers from."""
    return assess_refund(
        ssin=request.ssin,
        category=request.category,
        insurable=request.insurable,
        income_above_living_wage=request.income_above_living_wage,
        affiliated_to_fund=request.affiliated_to_fund,
    )


def input_findings(
    request: DecisionInput, *, refund: rules.RefundAssessment, today: date
) -> list[rules.RuleFinding]:
    """Every rule a whole decision (created or replaced) must satisfy, errors and warnings."""
    return [
        *rules.check_death_window_d07(death_date=request.person.death_date, today=today),
        *rules.check_coverage_shape(request.period, request.coverages),
        *rules.check_principle_decision_d02(request.coverages),
        *rules.check_backdating_d04(
            decision_date=request.decision_date,
            court_decision=request.court_decision,
            period=request.period,
            coverages=request.coverages,
        ),
        *rules.check_care_start_d05(
            decision_date=request.decision_date,
            period=request.period,
            coverages=request.coverages,
        ),
        *rules.check_hospital_pairing_d06(request.coverages),
        *rules.check_urgent_aid_duration_d10(
            urgent_medical_aid=refund.urgent_medical_aid,
            period=request.period,
            coverages=request.coverages,
        ),
        *rules.check_insurability_d11(
            category=request.category,
            insurable=request.insurable,
            affiliated_to_fund=request.affiliated_to_fund,
            period=request.period,
            comment=request.comment,
        ),
        *rules.check_comment_d15(request.comment, medical_vocabulary()),
    ]


async def create_decision(
    session: AsyncSession, *, request: DecisionInput, caller: Principal
) -> DecisionView:
    """File a new decision as version 1 and publish it (D-01)."""
    rules.check_ownership_d14(owner=request.ocmw.enterprise_number, caller=caller.subject)
    now = datetime.now(UTC)
    refund = assess_input(request)
    warnings = rules.settle_findings_d13(input_findings(request, refund=refund, today=now.date()))
    decision = await repository.add_decision(
        session,
        Decision(
            ocmw_enterprise_number=request.ocmw.enterprise_number,
            ssin=request.ssin,
            current_version=1,
            status=DecisionStatus.ACTIVE,
            created_at=now,
            updated_at=now,
        ),
    )
    # The number derives from the row id, which the database hands out once and never again.
    decision.decision_number = decision_number_for(decision.id)
    snapshot = snapshot_from_input(
        request,
        decision_number=decision.decision_number,
        version=1,
        status=DecisionStatus.ACTIVE,
        change_kind=ChangeKind.CREATED,
        effective_from=request.period.start,
        refund=refund,
        warnings=warnings,
    )
    return await record_version(
        session, decision, snapshot, at=now, refund_policy_version=refund.policy_version
    )


async def get_decision(
    session: AsyncSession, *, decision_number: str, caller: Principal, version: int | None = None
) -> DecisionView:
    current = await load_current(session, decision_number=decision_number, caller=caller)
    if version is None:
        return view_of(current.stored)
    stored = await repository.get_version(session, current.decision.id, version)
    if stored is None:
        raise NotFound.for_rule(
            "D-01",
            "decision.version_not_found",
            f"Version {version} of {decision_number} not found",
        )
    return view_of(stored)


async def list_versions(
    session: AsyncSession, *, decision_number: str, caller: Principal
) -> list[VersionSummary]:
    current = await load_current(session, decision_number=decision_number, caller=caller)
    return [
        VersionSummary(
            version=stored.version,
            change_kind=stored.change_kind,
            status=stored.snapshot["status"],
            effective_from=stored.snapshot["effective_from"],
        )
        for stored in await repository.list_versions(session, current.decision.id)
    ]


async def list_for_person(
    session: AsyncSession, *, ssin: str, caller: Principal
) -> list[DecisionView]:
    owner = None if caller.is_operator else caller.subject
    decisions = await repository.list_for_person(session, ssin=ssin, ocmw_enterprise_number=owner)
    return [
        await get_decision(session, decision_number=str(decision.decision_number), caller=caller)
        for decision in decisions
    ]
