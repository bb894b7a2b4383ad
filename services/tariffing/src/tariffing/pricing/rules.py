"""Who pays what for one line: the pure pricing function behind both the simulation API and
invoice pricing, so the two can never disagree.

`price_line` takes everything it needs (tariff periods of the code, the person's decision history,
the agreement named on the invoice, the person's urgent-aid certificates, what the OCMW already
paid of the patient share this month, `today`) and reads no clock and no database. Tariffing's
own checks run first (T-06 date, T-01/T-05 code and tariff, T-06 provider type, C-02 agreement);
then the shared coverage resolution (`mediprima_domain.coverage`) says which decision version and
cover pay, and for which OCMW, or why none does; then C-04 and D-05. The first refusal wins; each
has a stable code and its rule id (see the service README for the table).

Money: see `tariffing.pricing.split` — Decimal throughout, rounded half up to the cent once per
boundary (state, then state + OCMW); the patient gets the rest, so the three shares always add up
to the amount billed (the fee when no amount is given) and none is negative.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from mediprima_contracts.components import Category, Finding, Ocmw
from mediprima_contracts.events.decisions import DecisionVersionPublished
from mediprima_contracts.values import Money, RizivNumber
from mediprima_domain.billing import CARE_BEFORE_CUTOFF, late_funder_notice_d05, state_pays_d05
from mediprima_domain.certificates import Certificate, certificate_for_c04
from mediprima_domain.coverage import (
    HOSPITAL_CARE,
    NO_DECISION,
    CareQuestion,
    CoverageAnswer,
    DecisionHistory,
    resolve_coverage,
    state_percentages,
)
from mediprima_domain.guarantee import GUARANTEED_VERSION, Agreement, guarantee_on_invoice_c02
from tariffing.nomenclature.rules import TariffTerms, provider_type, tariff_in_force_t05
from tariffing.pricing.checks import (
    UNKNOWN_CODE,
    care_type_for,
    check_code_t01_t05,
    check_date_in_future_t06,
    check_provider_allowed_t06,
)
from tariffing.pricing.split import ZERO, Parts, Split, nothing_paid, split_t02_t03

__all__ = ["Agreement", "Certificate", "LinePrice", "TariffTerms", "price_line"]

D05_REMARK = CARE_BEFORE_CUTOFF
C02_REMARK = GUARANTEED_VERSION


@dataclass(frozen=True)
class LinePrice:
    code: str
    fee: Money
    state_share: Money
    ocmw_share: Money
    patient_share: Money
    refusal: Finding | None
    decision: DecisionVersionPublished | None
    remarks: tuple[Finding, ...] = ()
    ocmw_copayment: Money = ZERO
    """The OCMW's part of the patient share (what its monthly cap counts)."""
    ocmw: Ocmw | None = None
    """The OCMW charged for the line (D-14), named by the coverage answer."""
    health_fund_share: Money = ZERO
    """An insured person's reimbursement: the health fund's part (T-02)."""
    certificate_number: str | None = None
    """The urgent-aid certificate the line relies on (C-04)."""
    late_funder_notice: bool = False
    """Care outside hospitals the funder learns of more than 45 days after it (D-05)."""

    @property
    def accepted(self) -> bool:
        return self.refusal is None

    @property
    def reasons(self) -> tuple[Finding, ...]:
        """Why the line was refused (first), then remarks on how it was priced."""
        return ((self.refusal,) if self.refusal else ()) + self.remarks


def price_line(
    *,
    ssin: str,
    code: str,
    date_of_care: date,
    amount: Money | None,
    tariffs: Sequence[TariffTerms],
    history: DecisionHistory,
    today: date,
    issued_on: date | None = None,
    provider: RizivNumber | None = None,
    admission_date: date | None = None,
    agreement_number: str | None = None,
    agreement: Agreement | None = None,
    certificates: Sequence[Certificate] = (),
    ocmw_copayment_paid_this_month: Money = ZERO,
) -> LinePrice:
    """Price one line on the person's decision history; `issued_on` is the invoice's issue day
    (today for a simulation)."""
    tariff = tariff_in_force_t05(tariffs, date_of_care)
    fee = Money(tariff.fee) if tariff else ZERO
    billed = Money(amount) if amount is not None else fee

    def refused(refusal: Finding, answer: CoverageAnswer | None = None) -> LinePrice:
        split = nothing_paid(billed)
        decision = answer.decision if answer else None
        ocmw = answer.ocmw if answer else None
        return LinePrice(code, fee, *_shares(split), refusal, decision, ocmw=ocmw)

    guarantee = guarantee_on_invoice_c02(
        agreement_number,
        agreement,
        ssin=ssin,
        person_id=history.person_id,
        provider=provider,
        issued_on=issued_on or today,
    )
    refusal = (
        check_date_in_future_t06(date_of_care, today)
        or check_code_t01_t05(tariffs, tariff)
        or check_provider_allowed_t06(tariff, provider)
        or guarantee.refusal
    )
    if refusal is not None or tariff is None:
        return refused(refusal or UNKNOWN_CODE)
    care_type = care_type_for(
        provider_type(provider) if provider else None, admitted=admission_date is not None
    )
    answer = resolve_coverage(
        history,
        CareQuestion(
            ssin=ssin,
            on=date_of_care,
            care_type=care_type,
            provider=provider,
            admission_date=admission_date,
            consulted=guarantee.consulted,
        ),
    )
    if answer.refusal is not None or answer.decision is None or answer.cover is None:
        return refused(answer.refusal or NO_DECISION, answer)
    certificate, missing = certificate_for_c04(answer, certificates, care_type, date_of_care)
    if missing is not None:
        return refused(missing, answer)
    decision = answer.decision
    care_start = admission_date or date_of_care
    state_pays = state_pays_d05(
        care_start=care_start,
        decision_date=decision.decision_date,
        court_decision=decision.court_decision,
    )
    split = split_t02_t03(
        Parts.of(billed, tariff, preferential=decision.preferential_reimbursement),
        state_pct=state_percentages(decision, care_type),
        cover=answer.cover,
        state_pays=state_pays,
        ocmw_copayment_paid_this_month=ocmw_copayment_paid_this_month,
        insured=decision.category is Category.INSURED_NEEDY,
    )
    remarks: tuple[Finding, ...] = (
        (C02_REMARK,) if answer.guaranteed else ((guarantee.remark,) if guarantee.remark else ())
    )
    priced = LinePrice(
        code,
        fee,
        *_shares(split),
        None,
        decision,
        remarks,
        split.ocmw_copayment,
        answer.ocmw,
        split.health_fund_share,
        certificate.certificate_number if certificate else None,
        late_funder_notice_d05(
            care_start=care_start,
            decision_date=decision.decision_date,
            in_hospital=care_type in HOSPITAL_CARE,
        ),
    )
    if state_pays:
        return priced
    if split.payers == ZERO and billed > ZERO:
        # D-05 leaves nothing for the payers: the provider bills the OCMW (or patient) instead.
        return replace(priced, refusal=D05_REMARK, ocmw_copayment=ZERO)
    return replace(priced, remarks=(*remarks, D05_REMARK))


def _shares(split: Split) -> tuple[Money, Money, Money]:
    return split.state_share, split.ocmw_share, split.patient_share
