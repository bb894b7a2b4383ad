"""Changing a filed decision: replace, extend, suspend, reactivate, stop (each a new version)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import rules
from decision_registry.decisions.schemas import (
    DecisionInput,
    DecisionView,
    ExtendRequest,
    StopRequest,
    SuspendRequest,
)
from decision_registry.decisions.service import assess_input, input_findings
from decision_registry.decisions.versions import (
    CurrentVersion,
    load_current,
    record_version,
    snapshot_from_input,
)
from decision_registry.mutations import repository as mutations
from decision_registry.mutations.models import RegisterMutation
from decision_registry.reference import medical_vocabulary
from decision_registry.refunds.service import assess_refund, state_share_of
from mediprima_contracts.components import ChangeKind, MutationKind
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Period, Ssin
from servicekit.auth import Principal
from servicekit.errors import Unprocessable


async def replace_decision(
    session: AsyncSession,
    *,
    decision_number: str,
    request: DecisionInput,
    expected_version: int,
    caller: Principal,
) -> DecisionView:
    """Restate the whole decision as its next version (If-Match guards the version read)."""
    current = await load_current(session, decision_number=decision_number, caller=caller)
    rules.check_ownership_d14(owner=request.ocmw.enterprise_number, caller=caller.subject)
    rules.check_expected_version_d01(current=current.version, expected=expected_version)
    status = rules.status_after_d08(
        status=current.snapshot.status, operation=rules.Operation.REPLACE
    )
    if request.ssin != current.snapshot.ssin:
        raise Unprocessable.for_rule(
            "D-01",
            "decision.ssin_immutable",
            "A decision is about one person: file a new decision for another SSIN",
            "ssin",
        )
    # A death the register reported stays on record even if the OCMW's body omits it.
    death_date = request.person.death_date or current.snapshot.person.death_date
    rules.settle_findings_d13(
        rules.check_death_after_birth_d07(
            birth_date=request.person.birth_date, death_date=death_date
        )
    )
    request = request.model_copy(
        update={"person": request.person.model_copy(update={"death_date": death_date})}
    )
    now = datetime.now(UTC)
    today = now.date()
    refund = assess_input(request)
    before = current.snapshot
    warnings = rules.settle_findings_d13(
        [
            *input_findings(request, refund=refund, today=today),
            *rules.check_retroactive_narrowing_d03(
                before_period=before.period,
                before_coverages=before.coverages,
                after_period=request.period,
                after_coverages=request.coverages,
                today=today,
            ),
        ]
    )
    first_widened = rules.first_widened_day_d03(
        before_period=before.period,
        before_coverages=before.coverages,
        after_period=request.period,
        after_coverages=request.coverages,
    )
    snapshot = snapshot_from_input(
        request,
        decision_number=decision_number,
        version=rules.next_version_d01(current.version),
        status=status,
        change_kind=ChangeKind.REPLACED,
        effective_from=rules.effective_from_d03(
            first_widened=first_widened, today=today, period_start=request.period.start
        ),
        refund=refund,
        warnings=warnings,
    )
    return await record_version(
        session,
        current.decision,
        snapshot,
        at=now,
        refund_policy_version=refund.policy_version,
    )


async def extend_decision(
    session: AsyncSession, *, decision_number: str, request: ExtendRequest, caller: Principal
) -> DecisionView:
    """D-09: move the end date later under the same committee date."""
    current = await load_current(session, decision_number=decision_number, caller=caller)
    before = current.snapshot
    status = rules.status_after_d08(status=before.status, operation=rules.Operation.EXTEND)
    now = datetime.now(UTC)
    period = Period(start=before.period.start, end=max(request.end_date, before.period.start))
    coverages = rules.extended_coverages_d09(
        before.coverages, old_end=before.period.end, new_end=period.end
    )
    warnings = rules.settle_findings_d13(
        [
            *rules.check_death_window_d07(death_date=before.person.death_date, today=now.date()),
            *rules.check_extension_d09(period=before.period, new_end=request.end_date),
            *rules.check_urgent_aid_duration_d10(
                urgent_medical_aid=before.urgent_medical_aid, period=period, coverages=coverages
            ),
            *rules.check_insurability_d11(
                category=before.category,
                insurable=before.insurable,
                affiliated_to_fund=before.affiliated_to_fund,
                period=period,
                comment=before.comment,
            ),
        ]
    )
    snapshot = before.model_copy(
        update={
            "version": rules.next_version_d01(current.version),
            "status": status,
            "change_kind": ChangeKind.EXTENDED,
            "period": period,
            "coverages": coverages,
            "effective_from": before.period.end + timedelta(days=1),
            "warnings": warnings,
        }
    )
    return await _record(session, current, snapshot, at=now)


async def suspend_decision(
    session: AsyncSession, *, decision_number: str, request: SuspendRequest, caller: Principal
) -> DecisionView:
    """D-08: the OCMW suspends; afterwards only reactivate or stop."""
    current = await load_current(session, decision_number=decision_number, caller=caller)
    before = current.snapshot
    status = rules.status_after_d08(status=before.status, operation=rules.Operation.SUSPEND)
    now = datetime.now(UTC)
    warnings = rules.settle_findings_d13(
        [
            *rules.check_death_window_d07(death_date=before.person.death_date, today=now.date()),
            *rules.check_comment_d15(request.reason, medical_vocabulary(), field="reason"),
        ]
    )
    snapshot = before.model_copy(
        update={
            "version": rules.next_version_d01(current.version),
            "status": status,
            "change_kind": ChangeKind.SUSPENDED,
            "effective_from": max(now.date(), before.period.start),
            "warnings": warnings,
        }
    )
    return await _record(session, current, snapshot, at=now, reason=request.reason)


async def reactivate_decision(
    session: AsyncSession, *, decision_number: str, caller: Principal
) -> DecisionView:
    """D-08: a suspended decision becomes active again; a pending SSIN change is taken over."""
    current = await load_current(session, decision_number=decision_number, caller=caller)
    before = current.snapshot
    status = rules.status_after_d08(status=before.status, operation=rules.Operation.REACTIVATE)
    pending = await mutations.pending_for(session, current.decision.id)
    rules.check_reactivation_d08(_as_pending(pending))
    rules.check_reactivation_d11(_as_pending(pending))
    now = datetime.now(UTC)
    warnings = rules.settle_findings_d13(
        rules.check_death_window_d07(death_date=before.person.death_date, today=now.date())
    )
    update: dict[str, object] = {
        "version": rules.next_version_d01(current.version),
        "status": status,
        "change_kind": ChangeKind.REACTIVATED,
        "effective_from": max(now.date(), before.period.start),
        "warnings": warnings,
    }
    policy_version = current.stored.refund_policy_version
    new_ssin = next(
        (item.new_ssin for item in pending if item.kind == MutationKind.SSIN_CHANGE), None
    )
    if new_ssin is not None:
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
    view = await _record(session, current, snapshot, at=now, refund_policy_version=policy_version)
    await mutations.settle(
        session, [item.id for item in pending], status="resolved", version=snapshot.version
    )
    return view


async def stop_decision(
    session: AsyncSession, *, decision_number: str, request: StopRequest, caller: Principal
) -> DecisionView:
    """Stop the decision after `stop_date` (its last covered day).

    A stop narrows rights, so D-03 keeps it from reaching into the past, except after a death
    (D-07 fixes the range) and for several pending mutations (D-08: the day before the first).
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
        *rules.check_death_window_d07(death_date=death_date, today=now.date()),
        *rules.check_stop_date_d07(death_date=death_date, stop_date=stop_date),
        *rules.check_stop_with_pending_d08(pending=_as_pending(pending), stop_date=stop_date),
        *rules.check_comment_d15(request.reason, medical_vocabulary(), field="reason"),
    ]
    period = Period(start=before.period.start, end=max(stop_date, before.period.start))
    coverages = rules.stopped_coverages(before.coverages, period.end)
    if death_date is None and len(pending) < 2:
        findings += rules.check_retroactive_narrowing_d03(
            before_period=before.period,
            before_coverages=before.coverages,
            after_period=period,
            after_coverages=coverages,
            today=now.date(),
        )
    warnings = rules.settle_findings_d13(findings)
    snapshot = before.model_copy(
        update={
            "version": rules.next_version_d01(current.version),
            "status": status,
            "change_kind": ChangeKind.STOPPED,
            "period": period,
            "coverages": coverages,
            "effective_from": stop_date + timedelta(days=1),
            "warnings": warnings,
        }
    )
    view = await _record(session, current, snapshot, at=now, reason=request.reason)
    resolved, cancelled = rules.settle_pending_on_stop_d08(_as_pending(pending))
    await mutations.settle(session, resolved, status="resolved", version=snapshot.version)
    await mutations.settle(session, cancelled, status="cancelled", version=snapshot.version)
    return view


async def _record(
    session: AsyncSession,
    current: CurrentVersion,
    snapshot: DecisionVersionPublished,
    *,
    at: datetime,
    reason: str | None = None,
    refund_policy_version: str | None = None,
) -> DecisionView:
    # model_copy skips validation: validate once so a rule's slip never reaches the topic.
    checked = DecisionVersionPublished.model_validate(snapshot.model_dump())
    return await record_version(
        session,
        current.decision,
        checked,
        at=at,
        refund_policy_version=refund_policy_version or current.stored.refund_policy_version,
        reason=reason,
    )


def _as_pending(pending: list[RegisterMutation]) -> list[rules.PendingMutation]:
    return [
        rules.PendingMutation(
            mutation_id=item.id, kind=MutationKind(item.kind), effective_date=item.effective_date
        )
        for item in pending
    ]
