from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mediprima_contracts.base import ContractModel
from mediprima_contracts.testing import error_code, make_ssin
from mediprima_contracts.testing.strategies import (
    birth_dates,
    bis_numbers,
    register_numbers,
    ssins,
)
from mediprima_contracts.values import InvalidValue, Ssin


class Holder(ContractModel):
    ssin: Ssin


def reference_is_valid(number: str) -> bool:
    """The domain.md rule, written independently of python-stdnum."""
    if len(number) != 11 or not number.isdigit() or int(number) == 0:
        return False
    month = int(number[2:4])
    if not (month <= 12 or 20 <= month <= 32 or 40 <= month <= 52):
        return False
    body, check = int(number[:9]), int(number[9:])
    if 97 - body % 97 == check:
        return True
    # The 2000+ rule only applies to years that have already begun.
    born_2000_or_later_possible = 2000 + int(number[:2]) <= date.today().year  # noqa: DTZ011
    return born_2000_or_later_possible and 97 - (2_000_000_000 + body) % 97 == check


def is_accepted(number: str) -> bool:
    try:
        Ssin(number)
    except InvalidValue:
        return False
    return True


@pytest.mark.parametrize(
    ("number", "birth"),
    [
        ("85073003328", date(1985, 7, 30)),
        ("17073003384", date(2017, 7, 30)),
        ("98472899765", date(1998, 7, 28)),
        ("01490700185", date(2001, 9, 7)),
    ],
)
def test_known_numbers_validate_with_their_birth_date(number: str, birth: date) -> None:
    assert Ssin(number) == number
    assert Ssin(number).birth_date == birth


def test_separators_are_normalised_to_eleven_digits() -> None:
    assert Ssin("85.07.30-033.28") == "85073003328"
    assert Ssin(" 85 07 30 033 28 ") == "85073003328"
    assert Ssin("85073003328").formatted == "85.07.30-033.28"


def test_check_digits_with_a_leading_zero_are_compared_as_numbers() -> None:
    assert Ssin("90051704809") == "90051704809"
    assert error_code(lambda: Ssin("9005170489")) == "ssin.length"


def test_born_2000_or_later_uses_the_2_prefixed_check() -> None:
    assert Ssin("05030101216").birth_date == date(2005, 3, 1)
    assert Ssin("05030101284").birth_date == date(1905, 3, 1)


def test_bis_numbers_are_recognised() -> None:
    assert Ssin("98472899765").is_bis
    assert not Ssin("85073003328").is_bis


def test_unknown_birth_date_gives_none() -> None:
    assert make_ssin(year=1980, sequence=17).birth_date is None
    assert make_ssin(year=1980, sequence=17, bis_offset=20).birth_date is None


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("85073003329", "ssin.check_digits"),
        ("8507300332", "ssin.length"),
        ("850730033288", "ssin.length"),
        ("85O73003328", "ssin.format"),
        ("00000000000", "ssin.format"),
        ("85133003370", "ssin.month"),
    ],
)
def test_invalid_numbers_are_refused_with_a_code(raw: str, code: str) -> None:
    assert error_code(lambda: Ssin(raw)) == code


def test_non_strings_are_refused() -> None:
    assert error_code(lambda: Ssin(85073003328)) == "ssin.type"


def test_pydantic_field_reports_the_code_and_hides_the_number() -> None:
    with pytest.raises(ValidationError) as caught:
        Holder.model_validate({"ssin": "85073003329"})
    assert caught.value.errors()[0]["type"] == "ssin.check_digits"
    assert "85073003329" not in str(caught.value)


def test_pydantic_field_serialises_as_a_string() -> None:
    holder = Holder.model_validate({"ssin": "85.07.30-033.28"})
    assert holder.model_dump_json() == '{"ssin":"85073003328"}'
    assert isinstance(holder.ssin, Ssin)


def test_an_ssin_is_validated_once() -> None:
    ssin = Ssin("85073003328")
    assert Ssin(ssin) is ssin
    assert Holder(ssin=ssin).ssin is ssin


@given(ssins())
def test_every_generated_number_validates(number: Ssin) -> None:
    assert Ssin(str(number)) == number
    assert reference_is_valid(number)


@given(ssins())
def test_a_single_digit_change_is_refused_unless_it_makes_another_valid_number(
    number: Ssin,
) -> None:
    for position in range(11):
        for digit in "0123456789":
            if digit == number[position]:
                continue
            mutated = number[:position] + digit + number[position + 1 :]
            assert is_accepted(mutated) == reference_is_valid(mutated), mutated


@given(register_numbers(born=birth_dates(min_value=date(2000, 1, 1))))
def test_people_born_2000_or_later_keep_their_century(number: Ssin) -> None:
    birth = number.birth_date
    assert birth is not None
    assert birth.year >= 2000


@given(birth_dates(min_value=date(2000, 1, 1)), st.integers(1, 998))
def test_the_1900_check_on_a_2000_birth_reads_as_a_1900_birth(birth: date, sequence: int) -> None:
    body = f"{birth:%y%m%d}{sequence:03d}"
    old_style = Ssin(f"{body}{97 - int(body) % 97:02d}")
    assert old_style.birth_date == birth.replace(year=birth.year - 100)


@given(bis_numbers())
def test_bis_numbers_are_flagged_as_bis(number: Ssin) -> None:
    assert number.is_bis
    assert 20 <= int(number[2:4]) <= 32 or 40 <= int(number[2:4]) <= 52


@given(
    st.integers(0, 99),
    st.integers(0, 31),
    st.integers(1, 998),
)
def test_only_register_and_bis_month_ranges_are_accepted(
    month_field: int, day: int, sequence: int
) -> None:
    body = f"85{month_field:02d}{day:02d}{sequence:03d}"
    number = f"{body}{97 - int(body) % 97:02d}"
    in_range = month_field <= 12 or 20 <= month_field <= 32 or 40 <= month_field <= 52
    if in_range:
        assert Ssin(number).is_bis == (month_field >= 20)
    else:
        assert error_code(lambda: Ssin(number)) == "ssin.month"
