"""D-03: a change may widen rights back in time; it narrows them from the day it is filed only.

A change that widens some rights and narrows others is filed as ONE version: it applies from its
first widened day (`effective_from`, at most as far back as D-04 allows) and, on days before the
day it is filed (`narrowing_from`), only where it grants at least as much as what held before.
The shared coverage resolution folds versions that way, and what "at least as much" means is its
comparison (`mediprima_domain.coverage.generosity`), so the registry and the resolution never
disagree on what a change narrows.

Manual 2.19: "Een retroactieve wijziging van de rechten van de beslissing kan enkel als het een
verhoging van de rechten tot gevolg heeft."
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from decision_registry.decisions.rules.findings import RuleFinding, error, warning
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Period
from mediprima_domain.coverage import cover_at_least_as_generous, state_terms_at_least_as_generous


@dataclass(frozen=True)
class Widening:
    """A right a change grants that the version before it did not, from `first_day` on."""

    first_day: date
    field: str
    new_days: bool
    """True for days not granted before (an earlier start, a later end, a new cover): D-04
    limits how far back they may reach. False for better terms on days already granted (a higher
    OCMW top-up, a higher state share, the urgent-aid flag lifted): D-04 bounds them silently."""


def widenings_d03(
    before: DecisionVersionPublished, after: DecisionVersionPublished
) -> list[Widening]:
    """D-03: every right `after` grants that `before` did not, each with its first day."""
    found: list[Widening] = []
    if after.period.start < before.period.start:
        found.append(Widening(after.period.start, "period.start", new_days=True))
    if after.period.end > before.period.end:
        found.append(Widening(_next(before.period.end), "period.end", new_days=True))
    before_by_type = {coverage.care_type: coverage for coverage in before.coverages}
    for index, new in enumerate(after.coverages):
        window = new.period.intersection(after.period)
        if window is None:
            continue
        field = f"coverages.{index}.period"
        old = before_by_type.get(new.care_type)
        old_window = old.period.intersection(before.period) if old is not None else None
        if old is None or old_window is None:
            found.append(Widening(window.start, f"{field}.start", new_days=True))
            continue
        if window.start < old_window.start:
            found.append(Widening(window.start, f"{field}.start", new_days=True))
        if window.end > old_window.end:
            found.append(Widening(_next(old_window.end), f"{field}.end", new_days=True))
        shared = window.intersection(old_window)
        if shared is not None and not cover_at_least_as_generous(old, new):
            found.append(Widening(shared.start, f"coverages.{index}", new_days=False))
    if not state_terms_at_least_as_generous(before, after):
        start = max(after.period.start, before.period.start)
        found.append(Widening(start, "state_share", new_days=False))
    return found


def narrowings_d03(
    before: DecisionVersionPublished, after: DecisionVersionPublished, *, today: date
) -> list[str]:
    """D-03: what `after` takes away on days before `today` (the day of the change), by field.

    Narrowing: a shorter period, a removed or shortened cover, a lower OCMW top-up (payment
    level, cap, provider list, a prescription newly required), a lower state share (also through
    the refund code) and the urgent-aid flag set.
    """
    yesterday = today - timedelta(days=1)
    held = _until(before.period, yesterday)
    if held is None:
        return []
    found: list[str] = []
    if not after.period.covers(held):
        found.append("period")
    after_by_type = {coverage.care_type: coverage for coverage in after.coverages}
    for old in before.coverages:
        window = old.period.intersection(before.period)
        past = _until(window, yesterday) if window is not None else None
        if past is None:
            continue
        new = after_by_type.get(old.care_type)
        new_window = new.period.intersection(after.period) if new is not None else None
        if (
            new is None
            or new_window is None
            or not new_window.covers(past)
            or not cover_at_least_as_generous(new, old)
        ):
            found.append(f"coverages.{old.care_type.value}")
    if after.urgent_medical_aid and not before.urgent_medical_aid:
        found.append("urgent_medical_aid")
    same_flag = after.model_copy(update={"urgent_medical_aid": before.urgent_medical_aid})
    if not state_terms_at_least_as_generous(same_flag, before):
        found.append("state_share")
    return found


def check_narrowing_from_day_of_change_d03(
    before: DecisionVersionPublished, after: DecisionVersionPublished, *, today: date
) -> list[RuleFinding]:
    """D-03: a change that narrows rights on past days is filed, the reduction from `today` on."""
    narrowed = narrowings_d03(before, after, today=today)
    if not narrowed:
        return []
    return [
        warning(
            "D-03",
            "decision.narrowing_from_day_of_change",
            f"This change reduces rights ({', '.join(narrowed)}); reductions apply from {today}, "
            "the day of the change: the days before keep the rights they had",
        )
    ]


def effective_from_d03(*, widenings: list[Widening], today: date, limit: date | None) -> date:
    """D-03: a change applies from the day it is filed, or from its first widened day when that
    is earlier; better terms on days already granted reach back to D-04's `limit` at most."""
    starts = [
        widening.first_day if limit is None else max(widening.first_day, limit)
        for widening in widenings
    ]
    return min([today, *starts])


def check_stop_not_retroactive_d03(
    *, period: Period, stop_date: date, today: date
) -> list[RuleFinding]:
    """D-03: a stop takes no day before `today` away (the last covered day is yesterday at the
    earliest). D-07 (a death) and D-08 (several mutations) fix the stop date otherwise."""
    yesterday = today - timedelta(days=1)
    if stop_date >= min(period.end, yesterday):
        return []
    return [
        error(
            "D-03",
            "decision.retroactive_narrowing",
            f"A stop cannot take back days before {today}, the day of the change: stop on "
            f"{yesterday} at the earliest",
            "stop_date",
        )
    ]


def _until(period: Period, last_day: date) -> Period | None:
    if period.start > last_day:
        return None
    return Period(start=period.start, end=min(period.end, last_day))


def _next(day: date) -> date:
    return day + timedelta(days=1)
