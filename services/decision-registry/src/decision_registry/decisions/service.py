"""Filing and reading decisions. The caller's transaction commits; nothing here does."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository, rules
from decision_registry.decisions.checks import assess_input, whole_decision_findings
from decision_registry.decisions.numbers import decision_number_for
from decision_registry.decisions.repository import DecisionRef
from decision_registry.decisions.schemas import DecisionInput, DecisionView, VersionSummary
from decision_registry.decisions.versions import (
    load_current,
    record_version,
    snapshot_from_input,
    view_of,
)
from decision_registry.persons import service as persons
from mediprima_contracts.components import ChangeKind, DecisionStatus
from mediprima_contracts.events.decisions import DecisionVersionPublished
from servicekit.auth import Principal
from servicekit.errors import NotFound


async def create_decision(
    session: AsyncSession, *, request: DecisionInput, caller: Principal
) -> DecisionView:
    """File a new decision as version 1 and publish it (D-01).

    Rights reach back at most 60 days before today, the filing day (D-04); the person is found
    under any of their numbers (D-08) and must hold no other decision on these days (D-14).
    """
    rules.check_ownership_d14(owner=request.ocmw.enterprise_number, caller=caller.subject)
    now = datetime.now(UTC)
    today = now.date()
    refund = assess_input(request)
    urgent_aid_period_start = rules.urgent_aid_period_start_d10(
        urgent_medical_aid=refund.urgent_medical_aid,
        period_start=request.period.start,
        before=None,
    )
    filing = await persons.person_for_filing(session, ssin=request.ssin, at=now)
    held = (
        []
        if filing.new_person
        else await repository.held_for_person(
            session, person_id=filing.person_id, period=request.period, except_id=None
        )
    )
    warnings = rules.settle_findings_d13(
        [
            *whole_decision_findings(
                request,
                refund=refund,
                urgent_aid_period_start=urgent_aid_period_start,
                today=today,
            ),
            *rules.check_backdating_d04(
                limit=rules.earliest_grantable_day_d04(
                    filed_on=today,
                    court_decision=request.court_decision,
                    court_decision_reference=request.court_decision_reference,
                ),
                period=request.period,
                coverages=request.coverages,
            ),
            *rules.check_decision_date_d04(decision_date=request.decision_date, filed_on=today),
            *filing.findings,
            *rules.check_one_ocmw_at_a_time_d14(
                period=request.period, others=held, caller=caller.subject
            ),
        ]
    )
    decision_id = await repository.add_decision(
        session,
        {
            "ocmw_enterprise_number": request.ocmw.enterprise_number,
            "ssin": request.ssin,
            "person_id": filing.person_id,
            "current_version": 1,
            "status": DecisionStatus.ACTIVE.value,
            "period_start": request.period.start,
            "period_end": request.period.end,
            "last_name": request.person.last_name,
            "first_name": request.person.first_name,
            "created_at": now,
            "updated_at": now,
        },
    )
    # The number derives from the row id, which the database hands out once and never again.
    decision = DecisionRef(
        id=decision_id,
        decision_number=decision_number_for(decision_id),
        ocmw_enterprise_number=request.ocmw.enterprise_number,
        person_id=filing.person_id,
    )
    snapshot = snapshot_from_input(
        request,
        decision_number=decision.decision_number,
        version=1,
        status=DecisionStatus.ACTIVE,
        change_kind=ChangeKind.CREATED,
        effective_from=request.period.start,
        narrowing_from=request.period.start,
        refund=refund,
        urgent_aid_period_start=urgent_aid_period_start,
        warnings=warnings,
    )
    return await record_version(
        session,
        decision,
        snapshot,
        at=now,
        refund_policy_version=refund.policy_version,
        identity=persons.identity_from(
            filing.numbers, person_id=filing.person_id, ssin=request.ssin
        ),
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
    summaries = []
    for stored in await repository.list_versions(session, current.decision.id):
        snapshot = DecisionVersionPublished.model_validate(stored.snapshot)
        summaries.append(
            VersionSummary(
                version=snapshot.version,
                change_kind=snapshot.change_kind,
                status=snapshot.status,
                effective_from=snapshot.effective_from,
                narrowing_from=snapshot.narrowing_from,
                filed_on=snapshot.filed_on,
            )
        )
    return summaries


async def list_for_person(
    session: AsyncSession, *, ssin: str, caller: Principal
) -> list[DecisionView]:
    """The caller's decisions for the person known under `ssin`, under any of their numbers."""
    person_id = await persons.person_of_number(session, ssin)
    if person_id is None:
        return []
    decisions = await repository.list_for_person(
        session,
        person_id=person_id,
        ocmw_enterprise_number=None if caller.is_operator else caller.subject,
    )
    return [
        await get_decision(session, decision_number=str(decision.decision_number), caller=caller)
        for decision in decisions
    ]
