from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from mediprima_contracts.base import ContractModel
from mediprima_contracts.testing import error_code
from mediprima_contracts.testing.strategies import money
from mediprima_contracts.values import Money, NonNegativeMoney


class Priced(ContractModel):
    amount: Money
    fee: NonNegativeMoney | None = None


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ("30", "30.00"),
        ("30.5", "30.50"),
        ("30.500", "30.50"),
        (Decimal("4"), "4.00"),
        (12, "12.00"),
    ],
)
def test_money_always_has_two_places(raw: str | Decimal | int, text: str) -> None:
    assert str(Money(raw)) == text


def test_negative_zero_is_zero() -> None:
    assert str(Money("-0.00")) == "0.00"


def test_floats_are_refused() -> None:
    assert error_code(lambda: Money(30.0)) == "money.float"  # type: ignore[arg-type]
    assert error_code(lambda: Priced.model_validate({"amount": 30.5})) == "money.float"
    assert error_code(lambda: Priced.model_validate_json('{"amount": 30.5}')) == "money.float"
    assert error_code(lambda: Money.round_half_up(0.5)) == "money.float"  # type: ignore[arg-type]


def test_more_than_two_decimal_places_are_refused() -> None:
    assert error_code(lambda: Money("30.005")) == "money.precision"
    assert error_code(lambda: Priced.model_validate({"amount": "0.001"})) == "money.precision"


@pytest.mark.parametrize("raw", ["30,00", "NaN", "Infinity", "", "EUR 3"])
def test_non_numbers_are_refused(raw: str) -> None:
    assert error_code(lambda: Money(raw)) == "money.format"


def test_non_negative_money_refuses_negative_amounts() -> None:
    assert error_code(lambda: NonNegativeMoney("-0.01")) == "money.negative"
    assert (
        error_code(lambda: Priced.model_validate({"amount": "1.00", "fee": "-1.00"}))
        == "money.negative"
    )
    assert NonNegativeMoney("0") == Money("0.00")


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        ("0.005", "0.01"),
        ("0.004999", "0.00"),
        ("-0.005", "-0.01"),
        ("2.675", "2.68"),
        ("1.0049", "1.00"),
    ],
)
def test_round_half_up_rounds_halves_away_from_zero(raw: str, rounded: str) -> None:
    assert Money.round_half_up(Decimal(raw)) == Money(rounded)


def test_round_half_up_rounds_once_not_step_by_step() -> None:
    stepwise = Decimal("0.0049").quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    assert Money.round_half_up(stepwise) == Money("0.01")
    assert Money.round_half_up(Decimal("0.0049")) == Money("0.00")


def test_exact_arithmetic_stays_money() -> None:
    total = Money("26.00") + Money("4.00") - Money("1.50")
    assert isinstance(total, Money)
    assert str(total) == "28.50"
    assert isinstance(Money("4.00") * 3, Money)
    assert isinstance(-Money("4.00"), Money)
    assert isinstance(sum([Money("1.00"), Money("2.00")]), Money)
    assert Money.total([]) == Money("0.00")


def test_inexact_arithmetic_gives_a_decimal_to_round_explicitly() -> None:
    half = Money("0.05") * Decimal("0.5")
    assert type(half) is Decimal
    assert Money.round_half_up(half) == Money("0.03")
    assert Money("0.05").percent(50) == Money("0.03")


def test_arithmetic_with_floats_fails() -> None:
    with pytest.raises(TypeError):
        _ = Money("1.00") + 0.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        _ = 0.5 * Money("1.00")  # type: ignore[operator]


def test_money_serialises_as_a_string_and_stays_money_in_python() -> None:
    priced = Priced.model_validate({"amount": "30"})
    assert priced.model_dump_json() == '{"amount":"30.00","fee":null}'
    assert isinstance(priced.model_dump()["amount"], Money)


def test_a_money_value_is_validated_once() -> None:
    amount = Money("1.00")
    assert Money(amount) is amount
    assert Priced(amount=amount).amount is amount


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=6, allow_nan=False))
def test_rounding_lands_within_half_a_cent(value: Decimal) -> None:
    rounded = Money.round_half_up(value)
    assert abs(rounded - value) <= Decimal("0.005")
    if abs(rounded - value) == Decimal("0.005"):
        assert abs(rounded) > abs(value)


@given(money())
def test_rounding_money_changes_nothing(amount: Money) -> None:
    assert Money.round_half_up(amount) == amount


@given(money(), money())
def test_money_sums_are_exact(first: Money, second: Money) -> None:
    assert Decimal(str(first + second)) == Decimal(str(first)) + Decimal(str(second))


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_no_float_is_ever_money(value: float) -> None:
    with pytest.raises(ValidationError):
        Priced.model_validate({"amount": value})
