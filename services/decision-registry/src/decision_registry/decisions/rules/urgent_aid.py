"""D-10: urgent medical aid runs at most 3 months per period, renewed period by period.

A renewal moves only the end date, by at most 3 months, keeping the decision and start dates,
after a NEW social inquiry whose date the version records. Manual: "Het OCMW moet enkel de
einddatum aanpassen door deze te vervangen door de nieuwe einddatum (3maanden later)."; the
urgent-aid text: "Een betalingsverbintenis in Mediprima of een medische kaart kunnen dekking bieden
voor maximaal 3 maanden en is verlengbaar als er een nieuw sociaal onderzoek wordt uitgevoerd."

Model: a version of an urgent-aid decision carries `urgent_aid_period_start` (the period start
at creation; the day after the old end once renewed) and the latest `social_inquiry_date`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from decision_registry.decisions.rules.findings import RuleFinding, error
from mediprima_contracts.components import Coverage
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Period
from mediprima_domain.calendar import last_day_of_span

URGENT_AID_MONTHS = 3


def urgent_aid_period_start_d10(
    *, urgent_medical_aid: bool, period_start: date, before: DecisionVersionPublished | None
) -> date | None:
    """D-10: the first day of the urgent-aid period a created or restated decision is in.

    A restatement keeps a renewed period's start; in the first period it follows the
    decision's start (a restated start is the first period's start)."""
    if not urgent_medical_aid:
        return None
    kept = before.urgent_aid_period_start if before is not None else None
    if before is None or kept is None or kept <= before.period.start:
        return period_start
    return kept


def urgent_aid_period_end_d10(urgent_aid_period_start: date) -> date:
    """D-10: the last day of the urgent-aid period starting on `urgent_aid_period_start`."""
    return last_day_of_span(urgent_aid_period_start, URGENT_AID_MONTHS)


def check_urgent_aid_period_d10(
    *, urgent_aid_period_start: date | None, period: Period, coverages: Sequence[Coverage]
) -> list[RuleFinding]:
    """D-10: the decision and every coverage end within the current urgent-aid period."""
    if urgent_aid_period_start is None:
        return []
    last = urgent_aid_period_end_d10(urgent_aid_period_start)
    ends = [("period.end", period.end)] + [
        (f"coverages.{index}.period.end", coverage.period.end)
        for index, coverage in enumerate(coverages)
    ]
    return [_too_long(field, urgent_aid_period_start, last) for field, end in ends if end > last]


def check_social_inquiry_date_d10(*, inquiry_date: date | None, today: date) -> list[RuleFinding]:
    """D-10: a social inquiry is recorded once it took place (not later than today)."""
    if inquiry_date is None or inquiry_date <= today:
        return []
    return [
        error(
            "D-10",
            "decision.social_inquiry_in_future",
            f"The social inquiry took place on {today} at the latest",
            "social_inquiry_date",
        )
    ]


@dataclass(frozen=True)
class UrgentAidRenewal:
    """What an extension makes of the urgent-aid period and its inquiry (D-10)."""

    findings: list[RuleFinding]
    urgent_aid_period_start: date | None
    social_inquiry_date: date | None


def renew_urgent_aid_d10(
    *, before: DecisionVersionPublished, new_end: date, inquiry_date: date | None, today: date
) -> UrgentAidRenewal:
    """D-10 for an extension: within the current period no inquiry is needed; beyond it a new
    period starts the day after the old end, after a new social inquiry, for 3 months at most."""
    findings = check_social_inquiry_date_d10(inquiry_date=inquiry_date, today=today)
    recorded = before.social_inquiry_date
    if not before.urgent_medical_aid:
        return UrgentAidRenewal(findings, None, inquiry_date or recorded)
    current_start = before.urgent_aid_period_start or before.period.start
    if new_end <= urgent_aid_period_end_d10(current_start):
        return UrgentAidRenewal(findings, current_start, inquiry_date or recorded)
    if inquiry_date is None:
        findings.append(
            error(
                "D-10",
                "decision.urgent_aid_inquiry_required",
                f"Urgent medical aid runs until {urgent_aid_period_end_d10(current_start)}: a "
                "longer extension follows a new social inquiry (social_inquiry_date)",
                "social_inquiry_date",
            )
        )
    elif recorded is not None and inquiry_date <= recorded:
        findings.append(
            error(
                "D-10",
                "decision.urgent_aid_inquiry_not_new",
                f"A renewal follows a new social inquiry, after the one of {recorded}",
                "social_inquiry_date",
            )
        )
    new_start = before.period.end + timedelta(days=1)
    last = urgent_aid_period_end_d10(new_start)
    if new_end > last:
        findings.append(_too_long("end_date", new_start, last))
    return UrgentAidRenewal(findings, new_start, inquiry_date or recorded)


def _too_long(field: str, start: date, last: date) -> RuleFinding:
    return error(
        "D-10",
        "decision.urgent_aid_too_long",
        f"Urgent medical aid runs at most {URGENT_AID_MONTHS} months per period (the period "
        f"from {start} ends on {last}); renew it after a new social inquiry",
        field,
    )
