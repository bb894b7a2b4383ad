"""D-14: one OCMW at a time is competent for a person; a file passes on by a hand-over.

Decisions of two OCMWs for one person may not overlap, and neither may two of the same OCMW (one
decision per person at a time, extended or restated rather than doubled). An OCMW that declares
itself not competent hands the file over: the urgent-aid text, "Een OCMW dat zich territoriaal
onbevoegd verklaart, heeft als taak om de aanvraag binnen de 5 kalenderdagen over te maken aan
het OCMW dat het wel bevoegd acht", and "Bij een bevogdheidsconflict kan het tweede OCMW zich
wenden tot POD-MI om het conflict te beslechten." The receiving OCMW answers within those 5
calendar days; a refusal, or no answer by then, is a competence conflict the funder settles.

The hospital exception ("Bij een ziekenhuisopname blijft het oorspronkelijk OCMW bevoegd voor
gans de hospitalisatie.") is applied where care is charged: the shared coverage resolution asks
`competent_ocmw_d14` on the admission day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from decision_registry.decisions.rules.findings import RuleFinding, error
from mediprima_contracts.values import Period
from servicekit.errors import Conflict, Unprocessable

HAND_OVER_DAYS = 5


@dataclass(frozen=True)
class HeldDecision:
    """Another decision about the same person: whose, and which days it holds."""

    decision_number: str
    owner: str
    period: Period


def check_one_ocmw_at_a_time_d14(
    *, period: Period, others: Sequence[HeldDecision], caller: str
) -> list[RuleFinding]:
    """D-14: the period overlaps no other decision of the person (active, suspended, or the
    days a stopped one covered). Another OCMW's decision is told without its number or content."""
    overlapping = [other for other in others if other.period.overlaps(period)]
    findings = [
        error(
            "D-14",
            "decision.overlaps_own",
            f"Your decision {other.decision_number} already covers this person from "
            f"{other.period.start} to {other.period.end}: change or extend that one, or stop it "
            "first",
            "period",
        )
        for other in overlapping
        if other.owner == caller
    ]
    if any(other.owner != caller for other in overlapping):
        findings.append(
            error(
                "D-14",
                "decision.other_ocmw_competent",
                "Another OCMW holds a decision for this person on some of these days; one OCMW at "
                "a time is competent: ask that OCMW to hand the file over, or the funder (POD MI) "
                "to settle the competence",
                "period",
            )
        )
    return findings


class HandOverStatus(StrEnum):
    """Where a hand-over of a file between OCMWs stands (D-14)."""

    PENDING = "pending"
    """Waiting for the receiving OCMW (overdue after its deadline: a conflict)."""
    ACCEPTED = "accepted"
    """The receiving OCMW took the file over."""
    REFUSED = "refused"
    """The receiving OCMW refused it: a competence conflict for the funder."""
    SETTLED = "settled"
    """The funder settled the conflict (`competent_ocmw` says who is competent)."""


def hand_over_deadline_d14(requested_on: date) -> date:
    """D-14: the receiving OCMW answers within 5 calendar days."""
    return requested_on + timedelta(days=HAND_OVER_DAYS)


def in_conflict_d14(*, status: HandOverStatus, deadline: date, today: date) -> bool:
    """D-14: refused, or unanswered after the deadline: the funder settles the competence."""
    return status is HandOverStatus.REFUSED or (
        status is HandOverStatus.PENDING and today > deadline
    )


def check_hand_over_target_d14(*, owner: str, to: str) -> None:
    """D-14: a file is handed over to another OCMW."""
    if owner == to:
        raise Unprocessable.for_rule(
            "D-14",
            "hand_over.to_self",
            "A file is handed over to another OCMW than its owner",
            "to.enterprise_number",
        )


def check_answerable_d14(status: HandOverStatus) -> None:
    """D-14: only a pending hand-over is accepted or refused."""
    if status is not HandOverStatus.PENDING:
        raise Conflict.for_rule(
            "D-14", "hand_over.answered", f"This hand-over is {status.value} already"
        )


def check_settleable_d14(*, status: HandOverStatus, deadline: date, today: date) -> None:
    """D-14: the funder settles a competence conflict, nothing else."""
    if not in_conflict_d14(status=status, deadline=deadline, today=today):
        raise Conflict.for_rule(
            "D-14",
            "hand_over.not_in_conflict",
            "Only a refused hand-over, or one unanswered after its deadline, is settled",
        )


def check_settlement_party_d14(*, competent: str, sender: str, receiver: str) -> None:
    """D-14: the funder declares one of the two OCMWs in conflict competent."""
    if competent not in (sender, receiver):
        raise Unprocessable.for_rule(
            "D-14",
            "hand_over.settlement_party",
            "The competent OCMW is the sender or the receiver of the hand-over",
            "competent_ocmw",
        )
