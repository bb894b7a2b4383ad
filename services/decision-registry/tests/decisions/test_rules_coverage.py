"""D-02 (principle decisions), D-06 (hospital pairing)."""

from datetime import date

from decision_registry.decisions.rules import (
    check_coverage_shape,
    check_hospital_pairing_d06,
    check_principle_decision_d02,
    is_principle_decision_d02,
)

from .factories import coverage, period

JAN, MAR, JUN = date(2026, 1, 1), date(2026, 3, 31), date(2026, 6, 30)


def test_d02_no_coverage_is_a_principle_decision_filed_with_a_warning() -> None:
    assert is_principle_decision_d02([])
    [finding] = check_principle_decision_d02([])
    assert (finding.rule, finding.code, finding.blocking) == (
        "D-02",
        "decision.principle_decision",
        False,
    )
    gp = coverage("general_medicine", JAN, MAR)
    assert not is_principle_decision_d02([gp])
    assert check_principle_decision_d02([gp]) == []


def test_d02_one_coverage_per_care_type_within_the_decision_period() -> None:
    findings = check_coverage_shape(
        period(JAN, MAR),
        [coverage("general_medicine", JAN, MAR), coverage("general_medicine", JAN, JUN)],
    )
    assert [item.code for item in findings] == [
        "coverage.duplicate_care_type",
        "coverage.outside_decision_period",
    ]


def test_d06_hospitalisation_needs_ambulatory_care_for_the_same_period() -> None:
    findings = check_hospital_pairing_d06([coverage("hospitalisation", JAN, MAR)])
    assert [(item.rule, item.code) for item in findings] == [
        ("D-06", "coverage.hospitalisation_without_ambulatory_in_hospital")
    ]


def test_d06_ambulatory_care_in_hospital_needs_hospitalisation_for_the_same_period() -> None:
    findings = check_hospital_pairing_d06(
        [coverage("hospitalisation", JAN, MAR), coverage("ambulatory_in_hospital", JAN, JUN)]
    )
    assert [(item.rule, item.code) for item in findings] == [
        ("D-06", "coverage.ambulatory_in_hospital_without_hospitalisation")
    ]


def test_d06_a_matching_pair_passes() -> None:
    assert (
        check_hospital_pairing_d06(
            [coverage("hospitalisation", JAN, MAR), coverage("ambulatory_in_hospital", JAN, MAR)]
        )
        == []
    )
