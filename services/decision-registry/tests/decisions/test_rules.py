import pytest

from decision_registry.decisions.numbers import decision_number_for, is_well_formed
from decision_registry.decisions.rules import assess_refund


def test_d12_people_without_legal_residence_get_urgent_medical_aid_at_full_state_share() -> None:
    assessment = assess_refund(
        category="no_legal_residence", insurable=False, income_above_living_wage=False
    )
    assert assessment.urgent_medical_aid is True
    assert assessment.outside_hospital.insurance_part_pct == 100
    assert assessment.outside_hospital.patient_share_pct == 100


def test_d12_insurable_people_get_the_copayment_only() -> None:
    assessment = assess_refund(
        category="asylum_seeker", insurable=True, income_above_living_wage=False
    )
    assert assessment.outside_hospital.insurance_part_pct == 0
    assert assessment.outside_hospital.patient_share_pct == 100
    assert assessment.urgent_medical_aid is False


def test_d12_income_above_the_living_wage_gets_no_state_share() -> None:
    assessment = assess_refund(
        category="asylum_seeker", insurable=False, income_above_living_wage=True
    )
    assert assessment.hospitalisation.insurance_part_pct == 0
    assert assessment.hospitalisation.patient_share_pct == 0


@pytest.mark.parametrize("row_id", [1, 96, 97, 98, 123456, 9_999_999_999])
def test_d01_decision_numbers_carry_check_digits(row_id: int) -> None:
    number = decision_number_for(row_id)
    assert is_well_formed(number)
    mistyped = number[:-3] + str((int(number[-3]) + 1) % 10) + number[-2:]
    assert not is_well_formed(mistyped)
