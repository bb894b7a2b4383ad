from __future__ import annotations

import pytest
from hypothesis import given
from stdnum.be import vat

from mediprima_contracts.testing import error_code
from mediprima_contracts.testing.strategies import enterprise_numbers
from mediprima_contracts.values import EnterpriseNumber, InvalidValue


def is_accepted(number: str) -> bool:
    try:
        EnterpriseNumber(number)
    except InvalidValue:
        return False
    return True


@pytest.mark.parametrize(
    "raw", ["0428759497", "BE 428759497", "BE0428.759.497", "0428-759-497", "428759497"]
)
def test_accepted_forms_are_normalised_to_ten_digits(raw: str) -> None:
    assert EnterpriseNumber(raw) == "0428759497"


def test_formatted_groups_the_digits() -> None:
    assert EnterpriseNumber("0428759497").formatted == "0428.759.497"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("BE431150351", "enterprise_number.check_digits"),
        ("2428759497", "enterprise_number.first_digit"),
        ("04287594", "enterprise_number.length"),
        ("04287594AB", "enterprise_number.format"),
    ],
)
def test_invalid_numbers_are_refused_with_a_code(raw: str, code: str) -> None:
    assert error_code(lambda: EnterpriseNumber(raw)) == code


def test_check_digits_00_are_refused_where_stdnum_lets_them_pass() -> None:
    assert vat.is_valid("0970000000")
    assert error_code(lambda: EnterpriseNumber("0970000000")) == "enterprise_number.check_digits"
    assert EnterpriseNumber("0970000097") == "0970000097"


@given(enterprise_numbers())
def test_every_generated_number_validates_and_any_changed_digit_is_refused(
    number: EnterpriseNumber,
) -> None:
    assert EnterpriseNumber(str(number)) == number
    for position in range(10):
        for digit in set("0123456789") - {number[position]}:
            assert not is_accepted(number[:position] + digit + number[position + 1 :])
