"""How far back rights may be granted (D-04) and what the state pays of early care (D-05).

D-04 counts from the day the registry files the version (its own clock), never from the
`decision_date` the client types: manual 2.19, "Het OCMW kan dus nieuwe rechten toekennen met
terugwerkende kracht van maximum 60 dagen, uitgezonderd in geval van een rechterlijke
beslissing."
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from decision_registry.decisions.rules.findings import RuleFinding, error, warning
from decision_registry.decisions.rules.narrowing import Widening
from mediprima_contracts.components import Coverage
from mediprima_contracts.values import Period
from mediprima_domain.billing import (
    FUNDER_NOTICE_DAYS,
    first_day_state_pays_d05,
    state_pays_d05,
)
from mediprima_domain.coverage import HOSPITAL_CARE

BACKDATING_LIMIT_DAYS = 60


def earliest_grantable_day_d04(
    *, filed_on: date, court_decision: bool, court_decision_reference: str | None
) -> date | None:
    """D-04: the first day a right filed on `filed_on` may cover; None when a court decision,
    named by its reference, lifts the limit."""
    if court_decision and court_decision_reference:
        return None
    return filed_on - timedelta(days=BACKDATING_LIMIT_DAYS)


def check_court_reference_d04(
    *, court_decision: bool, court_decision_reference: str | None
) -> list[RuleFinding]:
    """D-04: a court decision lifts the 60-day limit only when it is named by its reference."""
    if not court_decision or court_decision_reference:
        return []
    return [
        error(
            "D-04",
            "decision.court_reference_required",
            "A court decision is named by its reference (court_decision_reference)",
            "court_decision_reference",
        )
    ]


def check_backdating_d04(
    *, limit: date | None, period: Period, coverages: Sequence[Coverage]
) -> list[RuleFinding]:
    """D-04 for a new decision: the period and every coverage start on `limit` or later."""
    if limit is None:
        return []
    starts = [("period.start", period.start)] + [
        (f"coverages.{index}.period.start", coverage.period.start)
        for index, coverage in enumerate(coverages)
    ]
    return [_backdated(field, limit) for field, start in starts if start < limit]


def check_widened_days_d04(
    *, limit: date | None, widenings: Sequence[Widening]
) -> list[RuleFinding]:
    """D-04 for a change: days it newly grants (an earlier start, a later end, a new cover)
    begin on `limit` or later; better terms on days already granted are bounded instead."""
    if limit is None:
        return []
    return [
        _backdated(widening.field, limit)
        for widening in widenings
        if widening.new_days and widening.first_day < limit
    ]


def check_decision_date_d04(
    *, decision_date: date, filed_on: date, previous: date | None = None
) -> list[RuleFinding]:
    """D-04: the decision date is not after the day it is filed, and a change does not move it
    later (that would stretch the D-05 window of state-paid care)."""
    findings: list[RuleFinding] = []
    if decision_date > filed_on:
        findings.append(
            error(
                "D-04",
                "decision.decision_date_in_future",
                f"The decision date lies on or before the day it is filed ({filed_on})",
                "decision_date",
            )
        )
    if previous is not None and decision_date > previous:
        findings.append(
            error(
                "D-04",
                "decision.decision_date_moved_later",
                f"A change cannot move the decision date later than {previous}",
                "decision_date",
            )
        )
    return findings


def _backdated(field: str, limit: date) -> RuleFinding:
    return error(
        "D-04",
        "decision.backdated_too_far",
        f"Rights may start at most {BACKDATING_LIMIT_DAYS} days before the day they are filed "
        f"(not before {limit}) unless a court decision, with its reference, exists",
        field,
    )


def check_care_start_d05(
    *, decision_date: date, period: Period, coverages: Sequence[Coverage]
) -> list[RuleFinding]:
    """D-05 warnings: days the state will not pay (court-backdated), late notice to the funder."""
    findings: list[RuleFinding] = []
    if not state_pays_d05(care_start=period.start, decision_date=decision_date):
        findings.append(
            warning(
                "D-05",
                "decision.care_before_state_limit",
                f"The state pays only for care started from "
                f"{first_day_state_pays_d05(decision_date)}; earlier care is the OCMW's own cost",
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
