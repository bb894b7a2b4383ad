"""Who pays what for one line: pure, used by the simulation API and by invoice pricing alike.

Walking-skeleton scope; issue 5 completes T-01..T-06, D-05, C-02, C-04 and I-02.
Rounding: each share is rounded half up to the cent once, and the patient's part is what
remains, so state + OCMW + patient always equals the amount priced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from mediprima_contracts.components import Coverage
from mediprima_contracts.events.decisions import DecisionVersionPublished

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
GENERAL_MEDICINE = "general_medicine"


@dataclass(frozen=True)
class TariffTerms:
    code: str
    fee: Decimal
    reimbursement: Decimal
    patient_share: Decimal


@dataclass(frozen=True)
class Refusal:
    rule: str
    code: str
    message: str


@dataclass(frozen=True)
class LinePrice:
    code: str
    fee: Decimal
    state_share: Decimal
    ocmw_share: Decimal
    patient_share: Decimal
    refusal: Refusal | None
    decision: DecisionVersionPublished | None

    @property
    def accepted(self) -> bool:
        return self.refusal is None


def price_line(
    *,
    code: str,
    date_of_care: date,
    amount: Decimal | None,
    tariff: TariffTerms | None,
    decisions: list[DecisionVersionPublished],
    today: date,
) -> LinePrice:
    asked = amount if amount is not None else (tariff.fee if tariff else ZERO)
    decision = decision_in_force(decisions, date_of_care)
    refusal = _refusal(date_of_care, tariff, decision, today)
    if refusal is not None or tariff is None or decision is None:
        return LinePrice(code, tariff.fee if tariff else ZERO, ZERO, ZERO, asked, refusal, decision)
    legal = min(asked, tariff.fee)
    share = decision.state_share.outside_hospital
    reimbursement = min(legal, tariff.reimbursement)
    copayment = legal - reimbursement
    state_exact = (
        reimbursement * share.insurance_part_pct + copayment * share.patient_share_pct
    ) / 100
    ocmw_exact = ZERO
    cover = _cover(decision, GENERAL_MEDICINE, date_of_care)
    if cover is not None:
        if cover.ocmw_pays.insurance_part == "FULL":
            ocmw_exact += reimbursement * (100 - share.insurance_part_pct) / 100
        if cover.ocmw_pays.patient_share == "FULL":
            ocmw_exact += copayment * (100 - share.patient_share_pct) / 100
        if cover.ocmw_pays.supplements == "FULL":
            ocmw_exact += asked - legal
    # Round the running total at each boundary: every share is rounded once and the three
    # always add up to the amount asked, never below zero.
    state = _cents(state_exact)
    ocmw = _cents(state_exact + ocmw_exact) - state
    return LinePrice(code, tariff.fee, state, ocmw, asked - state - ocmw, None, decision)


def decision_in_force(
    decisions: list[DecisionVersionPublished], on: date
) -> DecisionVersionPublished | None:
    """The current version of the decision whose period holds the date of care."""
    for decision in decisions:
        if decision.period.contains(on):
            return decision
    return None


def _refusal(
    date_of_care: date,
    tariff: TariffTerms | None,
    decision: DecisionVersionPublished | None,
    today: date,
) -> Refusal | None:
    if date_of_care > today:
        return Refusal("T-06", "date_in_future", "The date of care lies in the future")
    if tariff is None:
        return Refusal("T-01", "code_unknown", "No tariff in force for this code on that date")
    if decision is None:
        return Refusal("T-06", "no_decision", "No decision covers the person on that date")
    if decision.status == "suspended":
        return Refusal("T-06", "decision_suspended", "The decision is suspended")
    if decision.status != "active":
        return Refusal("T-06", "no_active_decision", "The decision is not active")
    if _cover(decision, GENERAL_MEDICINE, date_of_care) is None:
        return Refusal("T-06", "cover_absent", "No general-medicine cover on that date")
    return None


def _cover(decision: DecisionVersionPublished, care_type: str, on: date) -> Coverage | None:
    for cover in decision.coverages:
        if cover.care_type == care_type and cover.period.contains(on):
            return cover
    return None


def _cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
