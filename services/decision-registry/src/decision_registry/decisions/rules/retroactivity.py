"""When rights may start and when they may be taken away: D-03, D-04 and D-05."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from decision_registry.decisions.rules.findings import RuleFinding, error, warning
from mediprima_contracts.components import CareType, Coverage, PaymentLevel
from mediprima_contracts.values import Period

BACKDATING_LIMIT_DAYS = 60
CARE_START_LIMIT_DAYS = 60
FUNDER_NOTICE_DAYS = 45
HOSPITAL_CARE = frozenset({CareType.HOSPITALISATION, CareType.AMBULATORY_IN_HOSPITAL})
_GENEROSITY = {PaymentLevel.NOTHING: 0, PaymentLevel.PARTIAL: 1, PaymentLevel.FULL: 2}


def coverage_window(coverage: Coverage, decision_period: Period) -> Period | None:
    """The days a coverage really grants: its own period within the decision's."""
    return coverage.period.intersection(decision_period)


def at_least_as_generous(new: Coverage, old: Coverage) -> bool:
    """Does `new` grant, on a day both cover, everything `old` granted?"""
    old_pays, new_pays = old.ocmw_pays, new.ocmw_pays
    for part in ("insurance_part", "patient_share", "supplements"):
        if _GENEROSITY[getattr(new_pays, part)] < _GENEROSITY[getattr(old_pays, part)]:
            return False
    if new.prescription_required and not old.prescription_required:
        return False
    if new.providers and (not old.providers or not set(old.providers) <= set(new.providers)):
        return False
    same_partial_share = new_pays.patient_share == old_pays.patient_share == PaymentLevel.PARTIAL
    if same_partial_share and _lower_cap(
        new.patient_share_monthly_cap, old.patient_share_monthly_cap
    ):
        return False
    same_partial_supplements = new_pays.supplements == old_pays.supplements == PaymentLevel.PARTIAL
    return not (same_partial_supplements and _lower_cap(new.supplements_max, old.supplements_max))


def _lower_cap(new: object, old: object) -> bool:
    if new is None:
        return False
    if old is None:
        return True
    return bool(new < old)  # type: ignore[operator]


def check_retroactive_narrowing_d03(
    *,
    before_period: Period,
    before_coverages: Sequence[Coverage],
    after_period: Period,
    after_coverages: Sequence[Coverage],
    today: date,
) -> list[RuleFinding]:
    """D-03: every right held before `today` (the day of the change) is still held, as generously.

    A change may widen rights in the past; a narrowing takes effect from `today` at the earliest.
    """
    yesterday = today - timedelta(days=1)
    findings: list[RuleFinding] = []
    past_period = _until(before_period, yesterday)
    if past_period is not None and not after_period.covers(past_period):
        findings.append(
            error(
                "D-03",
                "decision.retroactive_narrowing",
                f"The decision period cannot lose days before {today}; stop or shorten it from "
                f"{yesterday} at the earliest",
                "period",
            )
        )
    after_by_type = {coverage.care_type: coverage for coverage in after_coverages}
    for old in before_coverages:
        window = coverage_window(old, before_period)
        past = _until(window, yesterday) if window is not None else None
        if past is None:
            continue
        new = after_by_type.get(old.care_type)
        new_window = coverage_window(new, after_period) if new is not None else None
        if (
            new is None
            or new_window is None
            or not new_window.covers(past)
            or not at_least_as_generous(new, old)
        ):
            findings.append(
                error(
                    "D-03",
                    "decision.retroactive_narrowing",
                    f"The {old.care_type} coverage cannot be reduced for days before {today}",
                    f"coverages.{old.care_type}",
                )
            )
    return findings


def first_widened_day_d03(
    *,
    before_period: Period,
    before_coverages: Sequence[Coverage],
    after_period: Period,
    after_coverages: Sequence[Coverage],
) -> date | None:
    """D-03: the earliest day on which the change grants more than before, if any."""
    candidates: list[date] = []
    if after_period.start < before_period.start:
        candidates.append(after_period.start)
    before_by_type = {coverage.care_type: coverage for coverage in before_coverages}
    for new in after_coverages:
        window = coverage_window(new, after_period)
        if window is None:
            continue
        old = before_by_type.get(new.care_type)
        old_window = coverage_window(old, before_period) if old is not None else None
        brand_new = old is None or old_window is None or not at_least_as_generous(old, new)
        if brand_new or (old_window is not None and window.start < old_window.start):
            candidates.append(window.start)
        elif old_window is not None and window.end > old_window.end:
            candidates.append(old_window.end + timedelta(days=1))
    return min(candidates, default=None)


def effective_from_d03(*, first_widened: date | None, today: date, period_start: date) -> date:
    """D-03: a change applies from today, or earlier where it widens rights; never before the
    decision's own start."""
    effective = today if first_widened is None else min(today, first_widened)
    return max(effective, period_start)


def _until(period: Period, last_day: date) -> Period | None:
    if period.start > last_day:
        return None
    return Period(start=period.start, end=min(period.end, last_day))


def earliest_grantable_day_d04(decision_date: date) -> date:
    """D-04: rights reach back at most 60 days before the decision date."""
    return decision_date - timedelta(days=BACKDATING_LIMIT_DAYS)


def check_backdating_d04(
    *, decision_date: date, court_decision: bool, period: Period, coverages: Sequence[Coverage]
) -> list[RuleFinding]:
    """D-04: no right starts more than 60 days before the decision date, unless a court decided."""
    if court_decision:
        return []
    limit = earliest_grantable_day_d04(decision_date)
    starts = [("period.start", period.start)] + [
        (f"coverages.{index}.period.start", coverage.period.start)
        for index, coverage in enumerate(coverages)
    ]
    return [
        error(
            "D-04",
            "decision.backdated_too_far",
            f"Rights may start at most {BACKDATING_LIMIT_DAYS} days before the decision date "
            f"({limit}) unless a court decision exists",
            field,
        )
        for field, start in starts
        if start < limit
    ]


def state_pays_for_care_d05(*, care_start: date, decision_date: date) -> bool:
    """D-05: the state pays only for care started at most 60 days before the decision date
    (care start = admission for a hospital stay, the day of the procedure otherwise)."""
    return care_start >= decision_date - timedelta(days=CARE_START_LIMIT_DAYS)


def check_care_start_d05(
    *, decision_date: date, period: Period, coverages: Sequence[Coverage]
) -> list[RuleFinding]:
    """D-05 warnings: days the state will not pay (court-backdated), late notice to the funder."""
    findings: list[RuleFinding] = []
    if not state_pays_for_care_d05(care_start=period.start, decision_date=decision_date):
        first_paid = decision_date - timedelta(days=CARE_START_LIMIT_DAYS)
        findings.append(
            warning(
                "D-05",
                "decision.care_before_state_limit",
                f"The state pays only for care started from {first_paid}; earlier care is the "
                "OCMW's own cost",
                "period.start",
            )
        )
    notice_limit = decision_date - timedelta(days=FUNDER_NOTICE_DAYS)
    if any(
        coverage.care_type not in HOSPITAL_CARE and coverage.period.start < notice_limit
        for coverage in coverages
    ):
        findings.append(
            warning(
                "D-05",
                "decision.late_funder_notice",
                f"Care outside hospitals that started before {notice_limit} is reported to the "
                f"funder later than {FUNDER_NOTICE_DAYS} days",
                "coverages",
            )
        )
    return findings
