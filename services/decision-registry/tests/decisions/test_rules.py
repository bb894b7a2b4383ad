import pytest

from decision_registry.decisions.numbers import decision_number_for, is_well_formed


@pytest.mark.parametrize("row_id", [1, 96, 97, 98, 123456, 9_999_999_999])
def test_d01_decision_numbers_carry_check_digits(row_id: int) -> None:
    number = decision_number_for(row_id)
    assert is_well_formed(number)
    mistyped = number[:-3] + str((int(number[-3]) + 1) % 10) + number[-2:]
    assert not is_well_formed(mistyped)
