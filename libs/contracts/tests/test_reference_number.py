import pytest

from mediprima_contracts.values.reference_number import has_check_digits, with_check_digits


def test_check_digits_are_97_minus_the_base_mod_97() -> None:
    assert with_check_digits(1) == "000000000196"
    assert with_check_digits(97) == "000000009797"


@pytest.mark.parametrize("base", [0, 1, 96, 97, 98, 123_456, 9_999_999_999])
def test_a_reference_is_well_formed_and_a_typo_is_caught(base: int) -> None:
    number = with_check_digits(base)
    assert has_check_digits(number)
    mistyped = number[:4] + str((int(number[4]) + 1) % 10) + number[5:]
    assert not has_check_digits(mistyped)


@pytest.mark.parametrize(
    "number",
    [
        "",
        "00000000019",
        "0000000001966",
        "00000000019a",
        "".join(chr(ord(digit) + 0xFEE0) for digit in "000000000196"),
    ],
)
def test_anything_but_twelve_ascii_digits_is_refused(number: str) -> None:
    assert not has_check_digits(number)
