"""Moving a decision between statuses: suspend, reactivate, stop (D-08), each a new version."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository, rules
from decision_registry.decisions.schemas import DecisionView, StopRequest, SuspendRequest
from decision_registry.decisions.versions import CurrentVersion, load_current, record_change
from decision_registry.mutations import repository as mutations
from decision_registry.mutations import service as mutation_service
from decision_registry.mutations.models import MutationStatus, RegisterMutation
from decision_registry.persons import service as persons
from decision_registry.reference import medical_vocabulary
from decision_registry.refunds.service import assess_refund, state_share_of
from mediprima_contracts.components import ChangeKind, MutationKind
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Period, Ssin
from servicekit.auth import Principal


async def suspend_decision(
    session: AsyncSession, *, decision_number: str, request: SuspendRequest, caller: Principal
) -> DecisionView:
    """D-08: the OCMW suspends from today; afterwards only reactivate or stop."""
    current = await load_current(session, decision_number=decision_number, caller=caller)
    before = current.snapshot
    status = rules.status_after_d08(status=before.status, operation=rules.Operation.SUSPEND)
    now = datetime.now(UTC)
    warnings = rules.settle_findings_d13(
        rules.check_comment_d15(request.reason, medical_vocabulary(), field="reason")
    )
    day = max(now.date(), before.period.start)
    snapshot = before.model_copy(
        update={
            "version": rules.next_version_d01(current.version),
            "status": status,
            "change_kind": ChangeKind.SUSPENDED,
            "effective_from": day,
            "narrowing_from": day,
            "warnings": warnings,
        }
    )
    return await record_change(session, current, snapshot, at=now, reason=request.reason)


async def reactivate_decision(
    session: AsyncSession, *, decision_number: str, caller: Principal
) -> DecisionView:
    """D-08: a suspended decision becomes active again over the suspended days too; a pending
    SSIN change is taken over (the person goes by the new number)."""
    current = await load_current(session, decision_number=decision_number, caller=caller)
    before = current.snapshot
    status = rules.status_after_d08(status=before.status, operation=rules.Operation.REACTIVATE)
    pending = await mutations.pending_for(session, current.decision.id)
    rules.check_reactivation_d08(_as_pending(pending))
    rules.check_reactivation_d11(_as_pending(pending))
    now = datetime.now(UTC)
    history = [
        DecisionVersionPublished.model_validate(stored.snapshot)
        for stored in await repository.list_versions(session, current.decision.id)
    ]
    update: dict[str, object] = {
        "version": rules.next_version_d01(current.version),
        "status": status,
        "change_kind": ChangeKind.REACTIVATED,
        # A widening: the suspended days are restored; what it may narrow, from today on.
        "effective_from": rules.suspended_since_d08(history),
        "narrowing_from": now.date(),
        "warnings": [],
    }
    policy_version = current.stored.refund_policy_version
    new_ssin = _new_number(pending)
    absorbed: list[int] = []
    if new_ssin is not None:
        absorbed = await _take_over(session, current, new_ssin, now)
        # A BIS number replaced by a register number changes the register, hence D-12.
        refund = assess_refund(
            ssin=Ssin(new_ssin),
            category=before.category,
            insurable=before.insurable,
            income_above_living_wage=before.income_above_living_wage,
            affiliated_to_fund=before.affiliated_to_fund,
        )
        policy_version = refund.policy_version
        update |= {
            "ssin": Ssin(new_ssin),
            "refund_code": refund.refund_code,
            "state_share": state_share_of(refund),
            "urgent_medical_aid": refund.urgent_medical_aid,
        }
    snapshot = before.model_copy(update=update)
    view = await record_change(
        session, current, snapshot, at=now, refund_policy_version=policy_version
    )
    await mutations.settle(
        session, [item.id for item in pending], status=MutationStatus.RESOLVED, version=view.version
    )
    await mutation_service.publish_identity(session, decision_ids=absorbed, at=now)
    return view


async def stop_decision(
    session: AsyncSession, *, decision_number: str, request: StopRequest, caller: Principal
) -> DecisionView:
    """Stop the decision after `stop_date` (its last covered day).

    A stop narrows rights, so D-03 keeps it from reaching into the past, except after a death
    (D-07 fixes the range, whenever the stop is filed) and for several pending mutations (D-08:
    the day before the first); those stops narrow from the day after the stop date.
    """
    current = await load_current(session, decision_number=decision_number, caller=caller)
    before = current.snapshot
    status = rules.status_after_d08(status=before.status, operation=rules.Operation.STOP)
    pending = await mutations.pending_for(session, current.decision.id)
    now = datetime.now(UTC)
    stop_date = request.stop_date
    death_date = before.person.death_date
    findings = [
        *rules.check_stop_date_d08(period=before.period, stop_date=stop_date),
        *rules.check_stop_date_d07(death_date=death_date, stop_date=stop_date),
        *rules.check_stop_with_pending_d08(pending=_as_pending(pending), stop_date=stop_date),
        *rules.check_comment_d15(request.reason, medical_vocabulary(), field="reason"),
    ]
    if death_date is None and len(pending) < 2:
        findings += rules.check_stop_not_retroactive_d03(
            period=before.period, stop_date=stop_date, today=now.date()
        )
    warnings = rules.settle_findings_d13(findings)
    period = Period(start=before.period.start, end=max(stop_date, before.period.start))
    first_day_stopped = stop_date + timedelta(days=1)
    update: dict[str, object] = {
        "version": rules.next_version_d01(current.version),
        "status": status,
        "change_kind": ChangeKind.STOPPED,
        "period": period,
        "coverages": rules.stopped_coverages(before.coverages, period.end),
        "effective_from": first_day_stopped,
        "narrowing_from": first_day_stopped,
        "warnings": warnings,
    }
    new_ssin = _new_number(pending)
    absorbed: list[int] = []
    if new_ssin is not None:
        # The register's new number stands whatever the OCMW does with the card.
        absorbed = await _take_over(session, current, new_ssin, now)
        update["ssin"] = Ssin(new_ssin)
    view = await record_change(
        session, current, before.model_copy(update=update), at=now, reason=request.reason
    )
    resolved, cancelled = rules.settle_pending_on_stop_d08(_as_pending(pending))
    await mutations.settle(session, resolved, status=MutationStatus.RESOLVED, version=view.version)
    await mutations.settle(
        session, cancelled, status=MutationStatus.CANCELLED, version=view.version
    )
    await mutation_service.publish_identity(session, decision_ids=absorbed, at=now)
    return view


async def _take_over(
    session: AsyncSession, current: CurrentVersion, new_ssin: str, now: datetime
) -> list[int]:
    """D-08: the person goes by `new_ssin`; the decisions of a record merged on the way, other
    than this one, are to learn the person kept."""
    joined = await persons.take_over(
        session, person_id=current.decision.person_id, new_ssin=new_ssin, at=now
    )
    current.decision.person_id = joined.person_id
    return [item for item in joined.absorbed_decisions if item != current.decision.id]


def _new_number(pending: list[RegisterMutation]) -> str | None:
    numbers = [
        item.new_ssin
        for item in pending
        if item.kind == MutationKind.SSIN_CHANGE and item.new_ssin is not None
    ]
    return numbers[-1] if numbers else None


def _as_pending(pending: list[RegisterMutation]) -> list[rules.PendingMutation]:
    return [
        rules.PendingMutation(
            mutation_id=item.id, kind=MutationKind(item.kind), effective_date=item.effective_date
        )
        for item in pending
    ]
