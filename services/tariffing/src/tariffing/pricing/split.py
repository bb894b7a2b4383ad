"""How one line's amount is split between the state, the OCMW and the patient (T-01..T-03, D-05).

Rounding (the one rule, also in the service README): every exact share is computed in Decimal
without rounding; then the running total is rounded half up to the cent once at each boundary —
first the state's share, then state + OCMW — and the patient gets what remains of the amount
(after the health fund's part, for an insured person, which is a tariff amount and needs no
rounding). So state + OCMW + patient (+ health fund) is always exactly the amount billed, each
share is rounded once, and no share is ever negative (half-up rounding is monotonic and every
exact share is at most its part of the amount).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from mediprima_contracts.components import Coverage, PaymentLevel, SharePercentages
from mediprima_contracts.values import Money
from tariffing.nomenclature.rules import TariffTerms

ZERO = Money("0.00")
HUNDRED = Decimal(100)
# A PARTIAL insurance part carries no amount in the decision contract: the OCMW pays half of
# what the state leaves of it (see README, "open questions").
PARTIAL_INSURANCE_PART_PCT = Decimal(50)


@dataclass(frozen=True)
class Split:
    state_share: Money
    ocmw_share: Money
    patient_share: Money
    ocmw_copayment: Money
    """The OCMW's part of the patient share, counted against its monthly cap."""
    health_fund_share: Money = ZERO
    """An insured person's reimbursement: the health fund's, charged to nobody here (T-02)."""

    @property
    def payers(self) -> Money:
        return self.state_share + self.ocmw_share


@dataclass(frozen=True)
class Parts:
    """The amount billed cut into its legal parts (T-02) and the supplement above the fee (T-01)."""

    amount: Money
    reimbursement: Money
    copayment: Money
    supplement: Money

    @classmethod
    def of(cls, amount: Money, tariff: TariffTerms, *, preferential: bool = False) -> Parts:
        """With the preferential reimbursement (verhoogde tegemoetkoming) the insurance part is
        larger and the patient share smaller (health-insurance text: "Als je recht hebt op
        verhoogde tegemoetkomingen, betaal je een lager persoonlijk aandeel/remgeld.")."""
        legal = min(amount, Money(tariff.fee))
        tariff_part = tariff.reimbursement_preferential if preferential else tariff.reimbursement
        reimbursement = min(legal, Money(tariff_part))
        return cls(amount, reimbursement, legal - reimbursement, amount - legal)


def split_t02_t03(
    parts: Parts,
    *,
    state_pct: SharePercentages,
    cover: Coverage,
    state_pays: bool,
    ocmw_copayment_paid_this_month: Money,
    insured: bool = False,
) -> Split:
    """T-02 the state's percentages of the legal parts (nothing when D-05 says so, `state_pays`
    False); T-03 the OCMW's part on top from its cover; the patient gets the rest.

    For an insured person the health fund pays the reimbursement: the state pays of the patient
    share only (domain.md T-02: "for an insured person it pays the copayment only"; the DMH table:
    "Wel ziekteverzekering: Remgeld"), and the fund's part is shown, charged to nobody here."""
    health_fund = parts.reimbursement if insured else ZERO
    insurance_pct = Decimal(0 if insured else state_pct.insurance_part_pct)
    copayment_pct = Decimal(state_pct.patient_share_pct)
    state_exact = (
        parts.reimbursement * insurance_pct / HUNDRED + parts.copayment * copayment_pct / HUNDRED
        if state_pays
        else Decimal(0)
    )
    insurance_left = (
        Decimal(0) if insured else parts.reimbursement * (HUNDRED - insurance_pct) / HUNDRED
    )
    copayment_left = parts.copayment * (HUNDRED - copayment_pct) / HUNDRED
    ocmw_insurance = _ocmw_insurance_part(cover.ocmw_pays.insurance_part, insurance_left)
    ocmw_copayment = _ocmw_copayment(cover, copayment_left, ocmw_copayment_paid_this_month)
    ocmw_supplement = _ocmw_supplement(cover, parts.supplement)
    ocmw_exact = ocmw_insurance + ocmw_copayment + ocmw_supplement
    state = Money.round_half_up(state_exact)
    ocmw = Money.round_half_up(state_exact + ocmw_exact) - state
    return Split(
        state_share=state,
        ocmw_share=ocmw,
        patient_share=parts.amount - health_fund - state - ocmw,
        ocmw_copayment=min(Money.round_half_up(ocmw_copayment), ocmw),
        health_fund_share=health_fund,
    )


def nothing_paid(amount: Money) -> Split:
    """A refused line: the payers pay nothing, the amount stays the patient's."""
    return Split(ZERO, ZERO, amount, ZERO)


def _ocmw_insurance_part(level: PaymentLevel, left: Decimal) -> Decimal:
    if level is PaymentLevel.FULL:
        return left
    if level is PaymentLevel.PARTIAL:
        return left * PARTIAL_INSURANCE_PART_PCT / HUNDRED
    return Decimal(0)


def _ocmw_copayment(cover: Coverage, left: Decimal, paid_this_month: Money) -> Decimal:
    """FULL: all the state leaves; PARTIAL: up to what remains of the monthly cap per person."""
    level = cover.ocmw_pays.patient_share
    if level is PaymentLevel.NOTHING:
        return Decimal(0)
    if level is PaymentLevel.PARTIAL and cover.patient_share_monthly_cap is not None:
        room = max(Money(cover.patient_share_monthly_cap) - paid_this_month, ZERO)
        return min(left, room)
    return left


def _ocmw_supplement(cover: Coverage, supplement: Money) -> Decimal:
    """Supplements are never the state's (T-01); the OCMW may pay them, PARTIAL up to a maximum."""
    level = cover.ocmw_pays.supplements
    if level is PaymentLevel.NOTHING:
        return Decimal(0)
    if level is PaymentLevel.PARTIAL and cover.supplements_max is not None:
        return min(supplement, Money(cover.supplements_max))
    return supplement
