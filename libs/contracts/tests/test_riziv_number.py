from __future__ import annotations

import pytest
from hypothesis import given

from mediprima_contracts.testing import error_code
from mediprima_contracts.testing.strategies import hospital_numbers, riziv_numbers
from mediprima_contracts.values import (
    GENERAL_PRACTITIONER_QUALIFICATIONS,
    InvalidValue,
    Profession,
    RizivNumber,
)


def is_accepted(number: str) -> bool:
    try:
        RizivNumber(number)
    except InvalidValue:
        return False
    return True


def test_a_provider_number_exposes_its_parts() -> None:
    number = RizivNumber("1-68682-01-140")
    assert number == "16868201140"
    assert number.profession == Profession.DOCTOR
    assert number.qualification == "140"
    assert number.is_doctor
    assert not number.is_dentist
    assert not number.is_hospital
    assert number.formatted == "1-68682-01-140"


@pytest.mark.parametrize("qualification", sorted(GENERAL_PRACTITIONER_QUALIFICATIONS))
def test_doctors_with_a_gp_qualification_are_general_practitioners(qualification: str) -> None:
    assert RizivNumber(f"10000797{qualification}").is_general_practitioner


@pytest.mark.parametrize("number", ["10000797000", "10000797010", "38410515003", "71000436"])
def test_other_numbers_are_not_general_practitioners(number: str) -> None:
    assert not RizivNumber(number).is_general_practitioner


def test_the_gp_qualification_list_is_the_reference_data() -> None:
    assert frozenset({"003", "004", "005", "006", "007", "008", "009"}) == (
        GENERAL_PRACTITIONER_QUALIFICATIONS
    )


def test_a_dentist_is_recognised() -> None:
    number = RizivNumber("38410515001")
    assert number.is_dentist
    assert not number.is_doctor


def test_a_hospital_number_has_eight_digits_starting_710_or_720() -> None:
    number = RizivNumber("710.004.36")
    assert number == "71000436"
    assert number.is_hospital
    assert number.profession is None
    assert number.qualification is None
    assert not number.is_doctor
    assert number.formatted == "710-004-36"


def test_a_multiple_of_97_takes_check_digits_97_never_00() -> None:
    assert RizivNumber("10000797003") == "10000797003"
    assert error_code(lambda: RizivNumber("10000700003")) == "riziv_number.check_digits"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("16868202140", "riziv_number.check_digits"),
        ("71000437", "riziv_number.check_digits"),
        ("1686820114", "riziv_number.length"),
        ("06868201140", "riziv_number.profession"),
        ("73000418", "riziv_number.hospital_prefix"),
        ("1686820114O", "riziv_number.format"),
    ],
)
def test_invalid_numbers_are_refused_with_a_code(raw: str, code: str) -> None:
    assert error_code(lambda: RizivNumber(raw)) == code


@given(riziv_numbers())
def test_every_generated_provider_number_validates(number: RizivNumber) -> None:
    assert RizivNumber(str(number)) == number


@given(riziv_numbers())
def test_a_changed_digit_before_the_qualification_is_refused(number: RizivNumber) -> None:
    for position in range(8):
        for digit in set("0123456789") - {number[position]}:
            assert not is_accepted(number[:position] + digit + number[position + 1 :])


@given(riziv_numbers())
def test_the_qualification_is_not_part_of_the_check(number: RizivNumber) -> None:
    for position in range(8, 11):
        for digit in "0123456789":
            assert is_accepted(number[:position] + digit + number[position + 1 :])


@given(hospital_numbers())
def test_every_generated_hospital_number_validates_and_any_changed_digit_is_refused(
    number: RizivNumber,
) -> None:
    assert RizivNumber(str(number)).is_hospital
    for position in range(8):
        for digit in set("0123456789") - {number[position]}:
            assert not is_accepted(number[:position] + digit + number[position + 1 :])
