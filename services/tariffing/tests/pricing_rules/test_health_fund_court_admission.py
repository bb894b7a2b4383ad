"""T-02 for an insured person, D-05 lifted by a court and counted from the admission day, the
D-05 notice to the funder, and the certificate a line relies on (C-04)."""

from datetime import date, timedelta
from decimal import Decimal

from mediprima_contracts.testing.factories import random_hospital_number
from mediprima_domain.certificates import Certificate

from .builders import CARE_DAY, NOTHING, cover, decision, price, reason, shares, tariff

# 32.00 = 28.00 reimbursement + 4.00 patient share; preferential: 31.00 + 1.00.
CONSULTATION = [tariff("32.00", "28.00", preferential="31.00")]
COPAYMENT_BY_OCMW = {**NOTHING, "patient_share": "FULL"}


def insured(**changes: object) -> object:
    return decision(**{"category": "insured_needy", "insurable": True, **changes})


def test_t02_for_an_insured_person_the_state_pays_the_patient_share_only() -> None:
    line = price([insured()], tariffs=CONSULTATION)

    assert line.accepted
    assert shares(line) == ("4.00", "0.00", "0.00")
    assert line.health_fund_share == Decimal("28.00")
    assert line.state_share + line.ocmw_share + line.patient_share + line.health_fund_share == 32


def test_t02_the_preferential_reimbursement_lowers_the_patient_share() -> None:
    ordinary = price(
        [insured(patient_share_pct=0, coverages=[cover(ocmw_pays=COPAYMENT_BY_OCMW)])],
        tariffs=CONSULTATION,
    )
    preferential = price(
        [
            insured(
                patient_share_pct=0,
                preferential_reimbursement=True,
                coverages=[cover(ocmw_pays=COPAYMENT_BY_OCMW)],
            )
        ],
        tariffs=CONSULTATION,
    )

    assert (ordinary.health_fund_share, ordinary.ocmw_share) == (Decimal("28.00"), Decimal("4.00"))
    assert (preferential.health_fund_share, preferential.ocmw_share) == (
        Decimal("31.00"),
        Decimal("1.00"),
    )


def test_t02_an_uninsured_person_has_the_full_legal_fee_paid_by_the_state() -> None:
    line = price([decision()], tariffs=CONSULTATION)

    assert shares(line) == ("32.00", "0.00", "0.00")
    assert line.health_fund_share == Decimal("0.00")


def test_d05_a_court_decision_lifts_the_sixty_days() -> None:
    period = {"start": "2024-10-01", "end": "2025-03-31"}
    late = {
        "decision_date": date(2025, 3, 12),
        "period": period,
        "coverages": [cover(period=period)],
    }
    long_ago = date(2024, 11, 4)
    tariffs = [tariff("32.00", "28.00", valid_from=date(2024, 1, 1))]

    without_court = price([decision(**late)], tariffs=tariffs, on=long_ago)
    with_court = price(
        [decision(court_decision=True, court_decision_reference="2025/AR/12", **late)],
        tariffs=tariffs,
        on=long_ago,
    )

    assert reason(without_court) == ("D-05", "care.before_cutoff")
    assert with_court.accepted
    assert shares(with_court) == ("32.00", "0.00", "0.00")


def test_d05_a_hospital_stay_counts_from_its_admission_day() -> None:
    stay = [cover(care_type="hospitalisation"), cover(care_type="ambulatory_in_hospital")]
    hospital_day = [
        tariff("150.00", "130.00", code="768011", provider_types=frozenset({"hospital"}))
    ]
    late = decision(coverages=stay, decision_date=date(2025, 5, 1))
    hospital = random_hospital_number()
    admitted = date(2025, 3, 1)  # 61 days before the decision date
    care = date(2025, 3, 10)  # 52 days before it

    per_day = price(
        [late],
        tariffs=hospital_day,
        provider=hospital,
        on=care,
    )
    in_the_stay = price(
        [late], tariffs=hospital_day, provider=hospital, on=care, admission_date=admitted
    )

    assert per_day.accepted  # ambulatory care in hospital: its own day counts
    assert per_day.state_share == Decimal("150.00")
    assert reason(in_the_stay) == ("D-05", "care.before_cutoff")


def test_d05_care_outside_hospitals_decided_after_45_days_is_flagged_for_the_funder() -> None:
    decided = {"decision_date": CARE_DAY + timedelta(days=46)}

    late = price([decision(**decided)], on=CARE_DAY)
    in_time = price([decision(decision_date=CARE_DAY + timedelta(days=45))], on=CARE_DAY)

    assert late.accepted
    assert late.late_funder_notice
    assert not in_time.late_funder_notice


def test_c04_the_verdict_names_the_certificate_the_line_relies_on() -> None:
    urgent = decision(urgent_medical_aid=True)
    certificate = Certificate(
        "482910375566", "general_medicine", date(2025, 3, 1), date(2025, 5, 31)
    )

    line = price([urgent], certificates=[certificate])

    assert line.accepted
    assert line.certificate_number == "482910375566"
    assert price([decision()], certificates=[certificate]).certificate_number is None
