"""Changing what a decision grants: replace (the whole decision restated) and extend (D-09)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions import repository, rules
from decision_registry.decisions.checks import assess_input, whole_decision_findings
from decision_registry.decisions.schemas import DecisionInput, DecisionView, ExtendRequest
from decision_registry.decisions.versions import (
    load_current,
    record_change,
    record_version,
    snapshot_from_input,
)
from mediprima_contracts.components import ChangeKind
from mediprima_contracts.values import Period
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
    """Restate the whole decision as its next version (If-Match guards the version read).

    One version, whatever it widens and narrows (D-03): it applies from its first widened day
    (at most 60 days before today, D-04) and narrows from today, the day of the change.
    """
    # The person is locked with the read: the D-14 check below holds under races.
    current = await load_current(
        session, decision_number=decision_number, caller=caller, lock_person=True
    )
    rules.check_ownership_d14(owner=request.ocmw.enterprise_number, caller=caller.subject)
    rules.check_expected_version_d01(current=current.version, expected=expected_version)
    before = current.snapshot
    status = rules.status_after_d08(status=before.status, operation=rules.Operation.REPLACE)
    if request.ssin != before.ssin:
        raise Unprocessable.for_rule(
            "D-01",
            "decision.ssin_immutable",
            "A decision is about one person: file a new decision for another SSIN",
            "ssin",
        )
    # A death the register reported stays on record even if the OCMW's body omits it; so does
    # the social inquiry recorded (D-10).
    death_date = request.person.death_date or before.person.death_date
    rules.settle_findings_d13(
        rules.check_death_after_birth_d07(
            birth_date=request.person.birth_date, death_date=death_date
        )
    )
    request = request.model_copy(
        update={
            "person": request.person.model_copy(update={"death_date": death_date}),
            "social_inquiry_date": request.social_inquiry_date or before.social_inquiry_date,
        }
    )
    now = datetime.now(UTC)
    today = now.date()
    refund = assess_input(request)
    urgent_aid_period_start = rules.urgent_aid_period_start_d10(
        urgent_medical_aid=refund.urgent_medical_aid,
        period_start=request.period.start,
        before=before,
    )
    draft = snapshot_from_input(
        request,
        decision_number=decision_number,
        version=rules.next_version_d01(current.version),
        status=status,
        change_kind=ChangeKind.REPLACED,
        effective_from=today,
        narrowing_from=today,
        refund=refund,
        urgent_aid_period_start=urgent_aid_period_start,
        warnings=[],
    )
    widenings = rules.widenings_d03(before, draft)
    limit = rules.earliest_grantable_day_d04(
        filed_on=today,
        court_decision=request.court_decision,
        court_decision_reference=request.court_decision_reference,
    )
    held = await repository.held_for_person(
        session,
        person_id=current.decision.person_id,
        period=request.period,
        except_id=current.decision.id,
    )
    warnings = rules.settle_findings_d13(
        [
            *whole_decision_findings(
                request,
                refund=refund,
                urgent_aid_period_start=urgent_aid_period_start,
                today=today,
            ),
            *rules.check_decision_date_d04(
                decision_date=request.decision_date,
                filed_on=today,
                previous=before.decision_date,
            ),
            *rules.check_widened_days_d04(limit=limit, widenings=widenings),
            *rules.check_narrowing_from_day_of_change_d03(before, draft, today=today),
            *rules.check_one_ocmw_at_a_time_d14(
                period=request.period, others=held, caller=caller.subject
            ),
        ]
    )
    snapshot = draft.model_copy(
        update={
            "effective_from": rules.effective_from_d03(
                widenings=widenings, today=today, limit=limit
            ),
            "warnings": warnings,
        }
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
    """D-09: move the end date later under the same committee date; urgent medical aid is
    renewed period by period after a new social inquiry (D-10)."""
    # The person is locked with the read: the D-14 check below holds under races.
    current = await load_current(
        session, decision_number=decision_number, caller=caller, lock_person=True
    )
    before = current.snapshot
    status = rules.status_after_d08(status=before.status, operation=rules.Operation.EXTEND)
    now = datetime.now(UTC)
    today = now.date()
    period = Period(start=before.period.start, end=max(request.end_date, before.period.start))
    coverages = rules.extended_coverages_d09(
        before.coverages, old_end=before.period.end, new_end=period.end
    )
    first_new_day = before.period.end + timedelta(days=1)
    renewal = rules.renew_urgent_aid_d10(
        before=before,
        new_end=request.end_date,
        inquiry_date=request.social_inquiry_date,
        today=today,
    )
    limit = rules.earliest_grantable_day_d04(
        filed_on=today,
        court_decision=before.court_decision,
        court_decision_reference=before.court_decision_reference,
    )
    new_days = (
        [rules.Widening(first_new_day, "end_date", new_days=True)]
        if request.end_date > before.period.end
        else []
    )
    held = await repository.held_for_person(
        session, person_id=current.decision.person_id, period=period, except_id=current.decision.id
    )
    warnings = rules.settle_findings_d13(
        [
            *rules.check_extension_d09(period=before.period, new_end=request.end_date),
            *renewal.findings,
            *rules.check_within_death_window_d07(
                death_date=before.person.death_date, period=period, coverages=coverages
            ),
            *rules.check_insurability_d11(
                category=before.category,
                insurable=before.insurable,
                affiliated_to_fund=before.affiliated_to_fund,
                # Versions filed before `insurable_since` was recorded count from their start.
                insurable_since=before.insurable_since or min(before.period.start, today),
                extension=before.insurability_extension,
                period=period,
                today=today,
            ),
            *rules.check_widened_days_d04(limit=limit, widenings=new_days),
            *rules.check_one_ocmw_at_a_time_d14(period=period, others=held, caller=caller.subject),
        ]
    )
    snapshot = before.model_copy(
        update={
            "version": rules.next_version_d01(current.version),
            "status": status,
            "change_kind": ChangeKind.EXTENDED,
            "period": period,
            "coverages": coverages,
            "effective_from": first_new_day,
            "narrowing_from": first_new_day,
            "urgent_aid_period_start": renewal.urgent_aid_period_start,
            "social_inquiry_date": renewal.social_inquiry_date,
            "warnings": warnings,
        }
    )
    return await record_change(session, current, snapshot, at=now)
