"""D-11: an insurable person gets a transition of 3 months to join a health insurance fund.

The transition runs from the day the person became insurable (`insurable_since`). It can be
extended once, for another 3 months, with a reason code and its explanation. Manual: "In dit
kader wordt echter een overgangsperiode van 3 maanden toegestaan. [...] Deze termijn kan in
meerdere gevallen verlengd worden. Het OCMW moet dan aantonen dat de aansluiting meer tijd in
beslag neemt om gegronde redenen." From the affiliation on the decision is suspended: "Vanaf het
ogenblik dat de persoon is aangesloten bij een ziekenfonds moet de beslissing in de databank
MediPrima worden opgeschort."
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from decision_registry.decisions.rules.findings import RuleFinding, error
from decision_registry.decisions.rules.lifecycle import PendingMutation
from mediprima_contracts.components import Category, InsurabilityExtension, MutationKind
from mediprima_contracts.values import Period
from mediprima_domain.calendar import last_day_of_span
from servicekit.errors import Conflict

INSURABILITY_TRANSITION_MONTHS = 3
EXTENSION_MONTHS = 3


def transition_end_d11(insurable_since: date, extension: InsurabilityExtension | None) -> date:
    """D-11: the last day of the transition: 3 months from `insurable_since`, and 3 more once
    extended."""
    end = last_day_of_span(insurable_since, INSURABILITY_TRANSITION_MONTHS)
    if extension is None:
        return end
    return last_day_of_span(end + timedelta(days=1), EXTENSION_MONTHS)


def transition_applies_d11(*, category: Category, insurable: bool) -> bool:
    """D-11: the transition concerns insurable people outside the insured-needy category."""
    return insurable and category is not Category.INSURED_NEEDY


def check_insurability_d11(
    *,
    category: Category,
    insurable: bool,
    affiliated_to_fund: bool,
    insurable_since: date | None,
    extension: InsurabilityExtension | None,
    period: Period,
    today: date,
) -> list[RuleFinding]:
    """D-11: no active decision for an affiliated person; an insurable person's decision ends
    within the transition (once extended with a reason: 3 months more)."""
    if category is Category.INSURED_NEEDY:
        return []
    if affiliated_to_fund:
        return [
            error(
                "D-11",
                "decision.affiliated_to_fund",
                "The person is affiliated to a health insurance fund: the decision must be "
                "suspended, not filed or changed",
                "affiliated_to_fund",
            )
        ]
    if not insurable:
        return []
    if insurable_since is None:
        return [
            error(
                "D-11",
                "decision.insurable_since_required",
                "An insurable person's decision says since when (insurable_since): the 3-month "
                "transition runs from that day",
                "insurable_since",
            )
        ]
    if insurable_since > today:
        return [
            error(
                "D-11",
                "decision.insurable_since_in_future",
                f"The person became insurable on {today} at the latest",
                "insurable_since",
            )
        ]
    first_end = transition_end_d11(insurable_since, None)
    if period.end <= first_end:
        return []
    if extension is None:
        return [
            error(
                "D-11",
                "decision.insurability_transition_exceeded",
                f"An insurable person gets 3 months (until {first_end}) to join a health fund; a "
                "longer transition needs insurability_extension with its reason",
                "period.end",
            )
        ]
    extended_end = transition_end_d11(insurable_since, extension)
    if period.end <= extended_end:
        return []
    return [
        error(
            "D-11",
            "decision.insurability_extension_exceeded",
            f"The transition is extended once, for 3 months (until {extended_end})",
            "period.end",
        )
    ]


def check_reactivation_d11(pending: Sequence[PendingMutation]) -> None:
    """D-11: from affiliation to a fund on, the decision stays suspended (or is stopped)."""
    if any(item.kind is MutationKind.FUND_AFFILIATION for item in pending):
        raise Conflict.for_rule(
            "D-11",
            "decision.affiliated_to_fund",
            "The person joined a health insurance fund: the decision can only be stopped",
        )
