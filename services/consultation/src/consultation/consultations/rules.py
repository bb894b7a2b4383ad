"""Consultation rules, pure. Issue 4 completes C-01..C-04."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from mediprima_contracts.components import Coverage
from mediprima_contracts.events.decisions import DecisionVersionPublished
from servicekit.errors import Forbidden

GUARANTEE_DAYS = 30


@dataclass(frozen=True)
class CoverageAnswer:
    """C-01: what a provider learns about a person on a date."""

    decision: DecisionVersionPublished | None
    coverages: list[Coverage]

    @property
    def covered(self) -> bool:
        return bool(self.coverages)


def answer_coverage_c01(
    decisions: list[DecisionVersionPublished], *, on: date, care_type: str | None
) -> CoverageAnswer:
    """The active decision in force on `on`, with the covers that apply that day."""
    for decision in decisions:
        if decision.status != "active" or not decision.period.contains(on):
            continue
        covers = [
            cover
            for cover in decision.coverages
            if cover.period.contains(on) and (care_type is None or cover.care_type == care_type)
        ]
        return CoverageAnswer(decision=decision, coverages=covers)
    return CoverageAnswer(decision=None, coverages=[])


def agreement_valid_until_c02(consulted_on: date) -> date:
    """C-02: the payment guarantee lasts 30 days from the consultation."""
    return consulted_on + timedelta(days=GUARANTEE_DAYS)


def check_may_consult_c03(*, is_doctor: bool, is_hospital: bool) -> None:
    """C-03: in this phase doctors and hospitals may consult."""
    if not (is_doctor or is_hospital):
        raise Forbidden.for_rule(
            "C-03", "consultation.provider_not_allowed", "Only doctors and hospitals may consult"
        )
