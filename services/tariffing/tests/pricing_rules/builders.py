"""Small builders for pricing-rule tests: tariffs, decision versions, agreements, a priced line."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from mediprima_contracts.events import DecisionVersionPublished
from mediprima_contracts.testing.events import example_coverage, example_decision_version_published
from mediprima_contracts.testing.factories import random_gp_riziv, random_ssin
from mediprima_contracts.values import Money, RizivNumber
from mediprima_domain.coverage import DecisionHistory
from tariffing.pricing.rules import Agreement, Certificate, LinePrice, TariffTerms, price_line

CARE_DAY = date(2025, 3, 10)
TODAY = date(2025, 3, 14)
NOTHING = {"insurance_part": "NOTHING", "patient_share": "NOTHING", "supplements": "NOTHING"}
GP_ONLY = frozenset({"gp"})


def tariff(
    fee: str,
    reimbursement: str,
    *,
    code: str = "101032",
    valid_from: date = date(2025, 1, 1),
    valid_until: date | None = None,
    provider_types: frozenset[str] = GP_ONLY,
    preferential: str | None = None,
) -> TariffTerms:
    return TariffTerms(
        code=code,
        valid_from=valid_from,
        valid_until=valid_until,
        fee=Money(fee),
        reimbursement=Money(reimbursement),
        reimbursement_preferential=Money(preferential or fee),
        patient_share=Money(fee) - Money(reimbursement),
        provider_types=provider_types,
    )


# 101032 in two periods: 2024 at 30.00 (26.00 + 4.00), from 2025 at 32.00 (28.00 + 4.00).
CONSULTATION_2024 = tariff(
    "30.00", "26.00", valid_from=date(2024, 1, 1), valid_until=date(2024, 12, 31)
)
CONSULTATION_2025 = tariff("32.00", "28.00")
CONSULTATION = [CONSULTATION_2024, CONSULTATION_2025]


def cover(**changes: Any) -> dict[str, Any]:
    return example_coverage(**{"ocmw_pays": NOTHING, "patient_share_monthly_cap": None, **changes})


def decision(
    *,
    insurance_part_pct: int = 100,
    patient_share_pct: int = 100,
    ocmw_pays: dict[str, str] | None = None,
    coverages: list[dict[str, Any]] | None = None,
    **changes: Any,
) -> DecisionVersionPublished:
    share = {"insurance_part_pct": insurance_part_pct, "patient_share_pct": patient_share_pct}
    if "period" in changes:  # version 1 applies from the first day of its period
        changes.setdefault("effective_from", changes["period"]["start"])
    return example_decision_version_published(
        **{
            "state_share": {
                "hospitalisation": share,
                "ambulatory_in_hospital": share,
                "outside_hospital": share,
            },
            "urgent_medical_aid": False,
            "coverages": (
                [cover(ocmw_pays=ocmw_pays or NOTHING)] if coverages is None else coverages
            ),
            **changes,
        }
    )


def next_version(previous: DecisionVersionPublished, **changes: Any) -> DecisionVersionPublished:
    return DecisionVersionPublished.model_validate(
        {**previous.model_dump(), "version": previous.version + 1, **changes}
    )


def agreement_on(
    version: DecisionVersionPublished,
    provider: RizivNumber,
    *,
    valid_until: date = date(2025, 4, 13),
    ssin: str | None = None,
) -> Agreement:
    return Agreement(
        agreement_number="AGR-1",
        provider=provider,
        ssin=ssin or version.ssin,
        decision_number=version.decision_number,
        version=version.version,
        valid_until=valid_until,
    )


def price(
    decisions: Sequence[DecisionVersionPublished],
    *,
    amount: str | None = None,
    tariffs: Sequence[TariffTerms] = CONSULTATION,
    on: date = CARE_DAY,
    provider: RizivNumber | None = None,
    agreement: Agreement | None = None,
    agreement_number: str | None = None,
    certificates: Sequence[Certificate] = (),
    paid_this_month: str = "0.00",
    ssin: str | None = None,
    issued_on: date | None = None,
    admission_date: date | None = None,
) -> LinePrice:
    person = ssin or (decisions[0].ssin if decisions else random_ssin())
    return price_line(
        ssin=person,
        code=tariffs[0].code if tariffs else "101032",
        date_of_care=on,
        amount=Money(amount) if amount is not None else None,
        tariffs=tariffs,
        history=DecisionHistory(decisions),
        today=TODAY,
        issued_on=issued_on,
        admission_date=admission_date,
        provider=provider or random_gp_riziv(),
        agreement_number=agreement_number or (agreement.agreement_number if agreement else None),
        agreement=agreement,
        certificates=certificates,
        ocmw_copayment_paid_this_month=Money(paid_this_month),
    )


def shares(line: LinePrice) -> tuple[str, str, str]:
    return (str(line.state_share), str(line.ocmw_share), str(line.patient_share))


def reason(line: LinePrice) -> tuple[str, str] | None:
    return (line.refusal.rule, line.refusal.code) if line.refusal else None
