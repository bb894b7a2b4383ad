"""T-01, T-02, T-03, T-05: the tariff of the date of care and how a line's amount is split."""

from datetime import date
from decimal import Decimal

from .builders import (
    CONSULTATION,
    CONSULTATION_2024,
    NOTHING,
    cover,
    decision,
    price,
    reason,
    shares,
    tariff,
)

EARLY_2025 = {"period": {"start": "2024-06-01", "end": "2025-03-31"}}


def test_t05_a_line_before_the_tariffs_period_uses_the_older_tariff() -> None:
    covering = decision(period=EARLY_2025["period"], coverages=[cover(**EARLY_2025)])

    december = price([covering], on=date(2024, 12, 31))
    january = price([covering], on=date(2025, 1, 1))

    assert (december.fee, january.fee) == (Decimal("30.00"), Decimal("32.00"))
    assert shares(december) == ("30.00", "0.00", "0.00")
    assert shares(january) == ("32.00", "0.00", "0.00")


def test_t05_a_code_without_a_tariff_in_force_on_the_date_is_refused_as_expired() -> None:
    line = price([decision()], tariffs=[CONSULTATION_2024], amount="30.00")

    assert reason(line) == ("T-05", "code.expired")
    assert shares(line) == ("0.00", "0.00", "30.00")


def test_t01_an_unknown_code_is_refused_and_the_state_pays_nothing() -> None:
    line = price([decision()], tariffs=[], amount="30.00")

    assert reason(line) == ("T-01", "code.unknown")
    assert line.fee == Decimal("0.00")
    assert shares(line) == ("0.00", "0.00", "30.00")


def test_t01_without_an_amount_the_fee_is_priced() -> None:
    line = price([decision()])

    assert line.accepted
    assert shares(line) == ("32.00", "0.00", "0.00")


def test_t01_the_amount_above_the_fee_is_a_supplement_the_state_never_pays() -> None:
    line = price([decision()], amount="35.50")

    assert shares(line) == ("32.00", "0.00", "3.50")


def test_t01_an_amount_below_the_fee_is_all_the_state_pays() -> None:
    line = price([decision()], amount="20.00")

    assert shares(line) == ("20.00", "0.00", "0.00")


def test_t02_the_state_pays_the_full_legal_fee_for_the_uninsured_under_the_living_wage() -> None:
    assert shares(price([decision(insurance_part_pct=100, patient_share_pct=100)])) == (
        "32.00",
        "0.00",
        "0.00",
    )


def test_t02_for_an_insured_person_the_state_pays_the_copayment_only() -> None:
    line = price([decision(insurance_part_pct=0, patient_share_pct=100)])

    assert shares(line) == ("4.00", "0.00", "28.00")


def test_t02_half_percentages_are_rounded_half_up_once_at_the_state_boundary() -> None:
    halves = decision(insurance_part_pct=50, patient_share_pct=50)

    line = price([halves], tariffs=[tariff("32.01", "28.00")])

    # 28.00 * 50% + 4.01 * 50% = 16.005 -> 16.01; the patient gets the rest.
    assert shares(line) == ("16.01", "0.00", "16.00")


def test_t03_an_ocmw_paying_both_legal_parts_leaves_the_patient_nothing() -> None:
    full = {**NOTHING, "insurance_part": "FULL", "patient_share": "FULL"}

    line = price([decision(insurance_part_pct=0, patient_share_pct=50, ocmw_pays=full)])

    assert shares(line) == ("2.00", "30.00", "0.00")


def test_t03_a_partial_insurance_part_is_half_of_what_the_state_leaves() -> None:
    partial = {**NOTHING, "insurance_part": "PARTIAL"}

    line = price([decision(insurance_part_pct=0, patient_share_pct=100, ocmw_pays=partial)])

    assert shares(line) == ("4.00", "14.00", "14.00")


def test_t03_the_ocmw_pays_the_supplement_when_its_cover_says_so() -> None:
    line = price([decision(ocmw_pays={**NOTHING, "supplements": "FULL"})], amount="35.50")

    assert shares(line) == ("32.00", "3.50", "0.00")


def test_t03_partial_supplements_are_paid_up_to_the_covers_maximum() -> None:
    capped = cover(ocmw_pays={**NOTHING, "supplements": "PARTIAL"}, supplements_max="2.00")

    line = price([decision(coverages=[capped])], amount="35.50")

    assert shares(line) == ("32.00", "2.00", "1.50")


def copayment_cover(cap: str) -> dict[str, object]:
    return cover(ocmw_pays={**NOTHING, "patient_share": "PARTIAL"}, patient_share_monthly_cap=cap)


def test_t03_a_partial_patient_share_is_paid_up_to_the_monthly_cap_per_person() -> None:
    capped = decision(
        insurance_part_pct=100, patient_share_pct=0, coverages=[copayment_cover("20.00")]
    )

    fresh = price([capped])
    nearly_spent = price([capped], paid_this_month="18.50")
    spent = price([capped], paid_this_month="20.00")

    assert shares(fresh) == ("28.00", "4.00", "0.00")
    assert fresh.ocmw_copayment == Decimal("4.00")
    assert shares(nearly_spent) == ("28.00", "1.50", "2.50")
    assert nearly_spent.ocmw_copayment == Decimal("1.50")
    assert shares(spent) == ("28.00", "0.00", "4.00")


def test_t03_a_full_patient_share_has_no_cap() -> None:
    full = decision(
        insurance_part_pct=100,
        patient_share_pct=0,
        ocmw_pays={**NOTHING, "patient_share": "FULL"},
    )

    assert shares(price([full], paid_this_month="500.00")) == ("28.00", "4.00", "0.00")


def test_t05_the_same_line_is_priced_the_same_every_time() -> None:
    covering = decision()

    assert price([covering], amount="33.00") == price([covering], amount="33.00")
    assert CONSULTATION[1].fee == Decimal("32.00")
