"""D-07: after a death, coverage runs up to 5 days after the date of death and no later.

The window bounds the DATES of the decision, not the day the OCMW files: an OCMW can create
(within D-04), change or stop a decision for a deceased person at any later time. Manual: "Het
OCMW kan na een overlijden een medische kaart stopzetten. Er dient hiervoor een datum gebruikt te
worden die ligt tussen de datum van het overlijden en 5 dagen erna."
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from decision_registry.decisions.rules.findings import RuleFinding, error
from mediprima_contracts.components import Coverage
from mediprima_contracts.values import Period
from mediprima_domain.coverage import DEATH_WINDOW_DAYS


def last_day_after_death_d07(death_date: date) -> date:
    """D-07: the last day a decision may cover after a death."""
    return death_date + timedelta(days=DEATH_WINDOW_DAYS)


def check_within_death_window_d07(
    *, death_date: date | None, period: Period, coverages: Sequence[Coverage]
) -> list[RuleFinding]:
    """D-07: with a known death, the period and every coverage end by the death + 5 days."""
    if death_date is None:
        return []
    last = last_day_after_death_d07(death_date)
    ends = [("period.end", period.end)] + [
        (f"coverages.{index}.period.end", coverage.period.end)
        for index, coverage in enumerate(coverages)
    ]
    return [
        error(
            "D-07",
            "decision.beyond_death_window",
            f"The person died on {death_date}: rights run until {last} at the latest",
            field,
        )
        for field, end in ends
        if end > last
    ]


def check_death_after_birth_d07(
    *, birth_date: date | None, death_date: date | None
) -> list[RuleFinding]:
    """D-07: a recorded death (by the OCMW or the register) does not precede the birth."""
    if birth_date is None or death_date is None or death_date >= birth_date:
        return []
    return [
        error(
            "D-07",
            "person.death_before_birth",
            f"A death on {death_date} precedes the birth on {birth_date}",
            "person.death_date",
        )
    ]


def check_stop_date_d07(*, death_date: date | None, stop_date: date) -> list[RuleFinding]:
    """D-07: after a death, the stop date lies between the death and 5 days after it, whatever
    the day the stop is filed."""
    if death_date is None:
        return []
    last = last_day_after_death_d07(death_date)
    if death_date <= stop_date <= last:
        return []
    return [
        error(
            "D-07",
            "decision.stop_date_outside_death_window",
            f"The stop date lies between the date of death ({death_date}) and {last}",
            "stop_date",
        )
    ]
