"""Who pays what for one line: the pure pricing function behind both the simulation API and
invoice pricing, so the two can never disagree.

`price_line` takes everything it needs (tariff periods of the code, every known version of the
person's decisions, the agreement named on the invoice, the person's urgent-aid certificates,
what the OCMW already paid of the patient share this month, `today`) and reads no clock and no
database. The checks run in a fixed order and the first refusal wins; each has a stable code and
its rule id (modelled on T-06, see the service README for the table).

Money: see `tariffing.pricing.split` — Decimal throughout, rounded half up to the cent once per
boundary (state, then state + OCMW); the patient gets the rest, so the three shares always add up
to the amount billed (the fee when no amount is given) and none is negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from mediprima_contracts.components import Coverage
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Money, RizivNumber
from tariffing.nomenclature.rules import TariffTerms, provider_type, tariff_in_force_t05
from tariffing.pricing.checks import (
    Agreement,
    Certificate,
    Refusal,
    care_type_for,
    check_agreement_c02,
    check_billing_limit_i04,
    check_certificate_c04,
    check_code_t01_t05,
    check_cover_t06,
    check_date_in_future_t06,
    check_deceased_t06,
    check_decision_status_t06,
    check_provider_allowed_t06,
    check_provider_in_list_t06,
    death_date,
    decision_in_force,
    guaranteed_version_c02,
    state_pays_d05,
    state_percentages,
)
from tariffing.pricing.split import ZERO, Parts, Split, nothing_paid, split_t02_t03

__all__ = [
    "Agreement",
    "Certificate",
    "LinePrice",
    "Refusal",
    "TariffTerms",
    "price_line",
]

D05_REMARK = Refusal(
    "D-05",
    "care.before_cutoff",
    "Care more than 60 days before the decision date: the state pays nothing",
)
C02_REMARK = Refusal(
    "C-02",
    "agreement.guaranteed_version",
    "Priced on the decision version guaranteed by the agreement number",
)


@dataclass(frozen=True)
class LinePrice:
    code: str
    fee: Money
    state_share: Money
    ocmw_share: Money
    patient_share: Money
    refusal: Refusal | None
    decision: DecisionVersionPublished | None
    remarks: tuple[Refusal, ...] = ()
    ocmw_copayment: Money = ZERO
    """The OCMW's part of the patient share (what its monthly cap counts)."""

    @property
    def accepted(self) -> bool:
        return self.refusal is None

    @property
    def reasons(self) -> tuple[Refusal, ...]:
        """Why the line was refused (first), then remarks on how it was priced."""
        return ((self.refusal,) if self.refusal else ()) + self.remarks


def price_line(
    *,
    ssin: str,
    code: str,
    date_of_care: date,
    amount: Money | None,
    tariffs: Sequence[TariffTerms],
    decisions: Sequence[DecisionVersionPublished],
    today: date,
    provider: RizivNumber | None = None,
    agreement_number: str | None = None,
    agreement: Agreement | None = None,
    certificates: Sequence[Certificate] = (),
    ocmw_copayment_paid_this_month: Money = ZERO,
) -> LinePrice:
    """Price one line; `decisions` holds every known version of the person's decisions."""
    tariff = tariff_in_force_t05(tariffs, date_of_care)
    fee = Money(tariff.fee) if tariff else ZERO
    billed = Money(amount) if amount is not None else fee

    def refused(refusal: Refusal, decision: DecisionVersionPublished | None = None) -> LinePrice:
        split = nothing_paid(billed)
        return LinePrice(code, fee, *_shares(split), refusal, decision)

    refusal = (
        check_date_in_future_t06(date_of_care, today)
        or check_billing_limit_i04(date_of_care, today)
        or check_code_t01_t05(tariffs, tariff)
        or check_provider_allowed_t06(tariff, provider)
        or check_agreement_c02(
            agreement_number, agreement, ssin=ssin, provider=provider, on=date_of_care
        )
        or check_deceased_t06(death_date(decisions), date_of_care)
    )
    if refusal is not None or tariff is None:
        return refused(refusal or Refusal("T-01", "code.unknown", "No tariff for this code"))
    care_type = care_type_for(provider_type(provider) if provider else None)
    parts = Parts.of(billed, tariff)

    def on(decision: DecisionVersionPublished | None) -> LinePrice:
        return _price_on_decision(
            code=code,
            fee=fee,
            parts=parts,
            decision=decision,
            care_type=care_type,
            date_of_care=date_of_care,
            provider=provider,
            certificates=certificates,
            ocmw_copayment_paid_this_month=ocmw_copayment_paid_this_month,
        )

    current = on(decision_in_force(decisions, date_of_care))
    guaranteed_decision = guaranteed_version_c02(agreement, decisions, date_of_care)
    if guaranteed_decision is None or guaranteed_decision == current.decision:
        return current
    guaranteed = on(guaranteed_decision)
    narrower = not current.accepted or current.state_share + current.ocmw_share < (
        guaranteed.state_share + guaranteed.ocmw_share
    )
    if guaranteed.accepted and narrower:
        return _with_remark(guaranteed, C02_REMARK)
    return current


def _price_on_decision(
    *,
    code: str,
    fee: Money,
    parts: Parts,
    decision: DecisionVersionPublished | None,
    care_type: str,
    date_of_care: date,
    provider: RizivNumber | None,
    certificates: Sequence[Certificate],
    ocmw_copayment_paid_this_month: Money,
) -> LinePrice:
    cover: Coverage | None = None
    refusal = check_decision_status_t06(decision)
    if refusal is None and decision is not None:
        cover, refusal = check_cover_t06(decision, care_type, date_of_care)
    if refusal is None and cover is not None:
        refusal = check_provider_in_list_t06(cover, provider)
    if refusal is None and decision is not None:
        refusal = check_certificate_c04(decision, certificates, care_type, date_of_care)
    if refusal is not None or decision is None or cover is None:
        split = nothing_paid(parts.amount)
        return LinePrice(code, fee, *_shares(split), refusal, decision)
    state_pays = state_pays_d05(decision, date_of_care)
    split = split_t02_t03(
        parts,
        state_pct=state_percentages(decision, care_type),
        cover=cover,
        state_pays=state_pays,
        ocmw_copayment_paid_this_month=ocmw_copayment_paid_this_month,
    )
    if state_pays:
        return LinePrice(code, fee, *_shares(split), None, decision, (), split.ocmw_copayment)
    if split.payers == ZERO and parts.amount > ZERO:
        # D-05 leaves nothing for the payers: the provider bills the OCMW (or patient) instead.
        return LinePrice(code, fee, *_shares(split), D05_REMARK, decision)
    return LinePrice(
        code, fee, *_shares(split), None, decision, (D05_REMARK,), split.ocmw_copayment
    )


def _shares(split: Split) -> tuple[Money, Money, Money]:
    return split.state_share, split.ocmw_share, split.patient_share


def _with_remark(line: LinePrice, remark: Refusal) -> LinePrice:
    return LinePrice(
        line.code,
        line.fee,
        line.state_share,
        line.ocmw_share,
        line.patient_share,
        line.refusal,
        line.decision,
        (remark, *line.remarks),
        line.ocmw_copayment,
    )
