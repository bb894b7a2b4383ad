"""Decision use cases. The caller's transaction commits; nothing here does."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository, rules
from decision_registry.decisions.models import Decision, DecisionVersion
from decision_registry.decisions.numbers import decision_number_for
from decision_registry.decisions.schemas import DecisionInput, VersionSummary
from mediprima_contracts.components import StateShare
from mediprima_contracts.events.decisions import DecisionVersionPublished
from servicekit.auth import Principal
from servicekit.errors import NotFound
from servicekit.messaging.outbox import emit

SOURCE = "decision-registry"


async def create_decision(
    session: AsyncSession, *, request: DecisionInput, caller: Principal
) -> DecisionVersionPublished:
    """File a new decision as version 1 and publish it."""
    rules.check_ownership_d14(owner=request.ocmw.enterprise_number, caller=caller.subject)
    now = datetime.now(UTC)
    decision = await repository.add_decision(
        session,
        Decision(
            ocmw_enterprise_number=request.ocmw.enterprise_number,
            ssin=request.ssin,
            current_version=1,
            status="active",
            created_at=now,
            updated_at=now,
        ),
    )
    decision.decision_number = decision_number_for(decision.id)
    snapshot = _snapshot(
        request,
        decision_number=decision.decision_number,
        version=1,
        status="active",
        change_kind="created",
        effective_from=request.period.start,
    )
    await _record_version(session, decision, snapshot, now)
    return snapshot


async def get_decision(
    session: AsyncSession, *, decision_number: str, caller: Principal, version: int | None = None
) -> DecisionVersionPublished:
    decision = await _readable_decision(session, decision_number, caller)
    stored = await repository.get_version(session, decision.id, version or decision.current_version)
    if stored is None:
        raise NotFound.for_rule(
            "D-01",
            "decision.version_not_found",
            f"Version {version} of {decision_number} not found",
        )
    return DecisionVersionPublished.model_validate(stored.snapshot)


async def list_versions(
    session: AsyncSession, *, decision_number: str, caller: Principal
) -> list[VersionSummary]:
    decision = await _readable_decision(session, decision_number, caller)
    return [
        VersionSummary(
            version=stored.version,
            change_kind=stored.change_kind,
            effective_from=stored.snapshot["effective_from"],
        )
        for stored in await repository.list_versions(session, decision.id)
    ]


async def list_for_person(
    session: AsyncSession, *, ssin: str, caller: Principal
) -> list[DecisionVersionPublished]:
    owner = None if caller.is_operator else caller.subject
    decisions = await repository.list_for_person(session, ssin=ssin, ocmw_enterprise_number=owner)
    return [
        await get_decision(session, decision_number=str(decision.decision_number), caller=caller)
        for decision in decisions
    ]


async def _readable_decision(
    session: AsyncSession, decision_number: str, caller: Principal
) -> Decision:
    decision = await repository.get_by_number(session, decision_number)
    if decision is None:
        raise NotFound.for_rule(
            "D-01", "decision.not_found", f"Decision {decision_number} not found"
        )
    rules.hide_unless_owner_d14(
        owner=decision.ocmw_enterprise_number,
        caller=None if caller.is_operator else caller.subject,
        decision_number=decision_number,
    )
    return decision


async def _record_version(
    session: AsyncSession, decision: Decision, snapshot: DecisionVersionPublished, at: datetime
) -> None:
    await repository.add_version(
        session,
        DecisionVersion(
            decision_id=decision.id,
            version=snapshot.version,
            change_kind=snapshot.change_kind,
            snapshot=snapshot.model_dump(mode="json"),
            created_at=at,
        ),
    )
    await emit(session, snapshot, subject=snapshot.decision_number, source=SOURCE, occurred_at=at)


def _snapshot(
    request: DecisionInput,
    *,
    decision_number: str,
    version: int,
    status: str,
    change_kind: str,
    effective_from: date,
) -> DecisionVersionPublished:
    refund = rules.assess_refund(
        category=request.category,
        insurable=request.insurable,
        income_above_living_wage=request.income_above_living_wage,
    )
    fields: dict[str, Any] = request.model_dump()
    return DecisionVersionPublished(
        **fields,
        decision_number=decision_number,
        version=version,
        status=status,
        change_kind=change_kind,
        effective_from=effective_from,
        refund_code=refund.refund_code,
        state_share=StateShare(
            hospitalisation=_share(refund.hospitalisation),
            ambulatory_in_hospital=_share(refund.ambulatory_in_hospital),
            outside_hospital=_share(refund.outside_hospital),
        ),
        urgent_medical_aid=refund.urgent_medical_aid,
        warnings=[],
    )


def _share(rule: rules.ShareRule) -> dict[str, int]:
    return {
        "insurance_part_pct": rule.insurance_part_pct,
        "patient_share_pct": rule.patient_share_pct,
    }
