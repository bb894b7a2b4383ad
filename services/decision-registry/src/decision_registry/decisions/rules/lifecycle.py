"""How a decision moves through its life: D-01, D-08 and D-09."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from decision_registry.decisions.rules.findings import RuleFinding, error, warning
from mediprima_contracts.components import Coverage, DecisionStatus, MutationKind
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Period
from mediprima_domain.calendar import last_day_of_span
from servicekit.errors import Conflict, PreconditionFailed

EXTENSION_MONTHS = 12


class Operation(StrEnum):
    """What an OCMW asks of an existing decision."""

    REPLACE = "replace"
    EXTEND = "extend"
    SUSPEND = "suspend"
    REACTIVATE = "reactivate"
    STOP = "stop"


def next_version_d01(current: int) -> int:
    """D-01: version 1 at creation, +1 per change."""
    return current + 1


def check_expected_version_d01(*, current: int, expected: int) -> None:
    """D-01: a change is made to the version the caller read, or not at all (412)."""
    if current != expected:
        raise PreconditionFailed.for_rule(
            "D-01",
            "decision.version_stale",
            f"The decision is at version {current}, not {expected}: read it again",
            "If-Match",
        )


_ALLOWED = {
    DecisionStatus.ACTIVE: {Operation.REPLACE, Operation.EXTEND, Operation.SUSPEND, Operation.STOP},
    DecisionStatus.SUSPENDED: {Operation.REACTIVATE, Operation.STOP},
    DecisionStatus.STOPPED: set(),
}
_STATUS_AFTER = {
    Operation.REPLACE: DecisionStatus.ACTIVE,
    Operation.EXTEND: DecisionStatus.ACTIVE,
    Operation.SUSPEND: DecisionStatus.SUSPENDED,
    Operation.REACTIVATE: DecisionStatus.ACTIVE,
    Operation.STOP: DecisionStatus.STOPPED,
}


def status_after_d08(*, status: DecisionStatus, operation: Operation) -> DecisionStatus:
    """D-08: a suspended decision can only be reactivated or stopped; a stopped one is final."""
    if operation not in _ALLOWED[status]:
        raise Conflict.for_rule(
            "D-08",
            f"decision.{status.value}",
            f"A {status.value} decision cannot be {_PAST[operation]}",
        )
    return _STATUS_AFTER[operation]


_PAST = {
    Operation.REPLACE: "modified",
    Operation.EXTEND: "extended",
    Operation.SUSPEND: "suspended",
    Operation.REACTIVATE: "reactivated",
    Operation.STOP: "stopped",
}


class MutationEffect(StrEnum):
    """What a register mutation does to a decision (D-08, D-07, D-11)."""

    RENAME = "rename"
    RECORD_DEATH = "record_death"
    SUSPEND = "suspend"
    MERGE_IDENTITY = "merge_identity"
    """The person turned out to be known under two records: the decision learns the one kept."""


def mutation_effect_d08(
    kind: MutationKind,
    *,
    stopped: bool = False,
    under_new_number: bool = False,
    absorbed: bool = False,
) -> MutationEffect | None:
    """D-08: a name change is applied as is; a death is recorded (D-07); an SSIN or residence
    change suspends, and so does affiliation to a health fund (D-11). An SSIN change suspends
    only decisions still under another number than the new one; when the new number was another
    person record's, the decisions of the record given up learn the person kept. A stopped
    decision changes no more, except to learn that identity. None: nothing to do."""
    if stopped or (kind is MutationKind.SSIN_CHANGE and under_new_number):
        return (
            MutationEffect.MERGE_IDENTITY if kind is MutationKind.SSIN_CHANGE and absorbed else None
        )
    if kind is MutationKind.NAME_CHANGE:
        return MutationEffect.RENAME
    if kind is MutationKind.DEATH:
        return MutationEffect.RECORD_DEATH
    return MutationEffect.SUSPEND


def mutation_day_d08(
    *,
    effect: MutationEffect,
    effective_date: date,
    previous: DecisionVersionPublished,
) -> date:
    """D-08: the day a mutation's version applies from, narrowing included (`effective_from` =
    `narrowing_from`).

    A suspension applies from the mutation's own date (within the period): the register's word
    needs no OCMW decision. A mutation that changes no right (a name, a death, which D-07 reads
    from the person, an identity) never starts before the version it follows, so that it
    changes no answer on any day."""
    day = max(effective_date, previous.period.start)
    if effect is MutationEffect.SUSPEND:
        return day
    return max(day, previous.effective_from, previous.narrowing_from or previous.effective_from)


def suspended_since_d08(history: Sequence[DecisionVersionPublished]) -> date:
    """D-08: the first day of the suspension a reactivation lifts: the earliest `effective_from`
    of the versions since the decision was last suspended. Reactivation restores the rights over
    those days (domain.md D-08: "reactivation restores the rights over the suspended days")."""
    streak: list[date] = []
    for version in reversed(history):
        if version.status is not DecisionStatus.SUSPENDED:
            break
        streak.append(version.effective_from)
    if not streak:
        raise ValueError("the decision is not suspended")
    return min(streak)


@dataclass(frozen=True)
class PendingMutation:
    """A suspending mutation the OCMW has not dealt with yet."""

    mutation_id: int
    kind: MutationKind
    effective_date: date


def several_pending_d08(pending: Sequence[PendingMutation]) -> list[RuleFinding]:
    """D-08: with several pending mutations the OCMW stops the decision the day before the first
    and files a new one from that day; said as a warning on the version that suspends it."""
    if len(pending) < 2:
        return []
    first = min(pending, key=lambda item: (item.effective_date, item.mutation_id))
    return [
        warning(
            "D-08",
            "decision.several_pending_mutations",
            f"Several register mutations are pending: stop this decision on "
            f"{first.effective_date - timedelta(days=1)} and file a new one from "
            f"{first.effective_date}",
        )
    ]


def check_reactivation_d08(pending: Sequence[PendingMutation]) -> None:
    """D-08: a decision with several pending mutations is stopped and refiled, not reactivated."""
    if len(pending) >= 2:
        raise Conflict.for_rule(
            "D-08",
            "decision.several_pending_mutations",
            "Several register mutations are pending: stop the decision the day before the first "
            "and file a new one",
        )


def check_stop_with_pending_d08(
    *, pending: Sequence[PendingMutation], stop_date: date
) -> list[RuleFinding]:
    """D-08: with several pending mutations the stop date is the day before the first one."""
    if len(pending) < 2:
        return []
    expected = min(item.effective_date for item in pending) - timedelta(days=1)
    if stop_date == expected:
        return []
    return [
        error(
            "D-08",
            "decision.stop_date_not_before_first_mutation",
            f"With several pending mutations the decision stops on {expected}, the day before "
            "the first",
            "stop_date",
        )
    ]


def settle_pending_on_stop_d08(
    pending: Sequence[PendingMutation],
) -> tuple[list[int], list[int]]:
    """D-08: stopping settles the first pending mutation; the later ones are cancelled."""
    ordered = sorted(pending, key=lambda item: (item.effective_date, item.mutation_id))
    return [item.mutation_id for item in ordered[:1]], [item.mutation_id for item in ordered[1:]]


def check_stop_date_d08(*, period: Period, stop_date: date) -> list[RuleFinding]:
    """A stop ends the decision inside its period (the last covered day is the stop date)."""
    if period.start <= stop_date <= period.end:
        return []
    return [
        error(
            "D-08",
            "decision.stop_date_outside_period",
            f"The stop date lies within the decision period ({period.start} to {period.end})",
            "stop_date",
        )
    ]


def stopped_coverages(coverages: Sequence[Coverage], stop_date: date) -> list[Coverage]:
    """Coverages cut at the stop date; those starting after it are dropped."""
    return [
        coverage.model_copy(
            update={
                "period": Period(
                    start=coverage.period.start, end=min(coverage.period.end, stop_date)
                )
            }
        )
        for coverage in coverages
        if coverage.period.start <= stop_date
    ]


def check_extension_d09(*, period: Period, new_end: date) -> list[RuleFinding]:
    """D-09: an extension moves the end date later, to at most one year under the same
    committee date (the period then spans 12 months at most)."""
    if new_end <= period.end:
        return [
            error(
                "D-09",
                "decision.extension_not_later",
                f"An extension moves the end date after {period.end}",
                "end_date",
            )
        ]
    limit = last_day_of_span(period.start, EXTENSION_MONTHS)
    if new_end > limit:
        return [
            error(
                "D-09",
                "decision.extension_beyond_one_year",
                f"Under the same committee date a decision runs at most one year (until "
                f"{limit}); file a new decision after a new committee decision",
                "end_date",
            )
        ]
    return []


def extended_coverages_d09(
    coverages: Sequence[Coverage], *, old_end: date, new_end: date
) -> list[Coverage]:
    """D-09: coverages that ran to the decision's end run to the new end; others are unchanged."""
    return [
        coverage.model_copy(update={"period": Period(start=coverage.period.start, end=new_end)})
        if coverage.period.end == old_end
        else coverage
        for coverage in coverages
    ]
