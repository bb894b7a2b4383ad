"""Money: a Decimal with exactly two places, never a float."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, ClassVar, Self, overload

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from mediprima_contracts.values.errors import InvalidValue

_CENT = Decimal("0.01")


def _exact_decimal(value: object) -> Decimal:
    if isinstance(value, float):
        raise InvalidValue("money.float", "money is never a float: pass a string or a Decimal")
    if isinstance(value, bool):
        raise InvalidValue("money.type", "money is a string, a Decimal or an int")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise InvalidValue("money.format", "money is a decimal number like 30.00") from None
    else:
        raise InvalidValue("money.type", "money is a string, a Decimal or an int")
    if not amount.is_finite():
        raise InvalidValue("money.format", "money is a finite decimal number")
    return amount


class Money(Decimal):
    """An amount in euro with exactly two decimal places.

    Built from a string, a Decimal or an int; a float is refused (`money.float`), and so is any
    value that would need rounding (`money.precision`): rounding is never implicit. To round a
    computed Decimal, call `Money.round_half_up` once, on the final value.

    Arithmetic stays in Decimal: Money + Money, Money - Money, Money * int give Money (exact);
    Money * Decimal and Money / anything give a plain Decimal, to be rounded explicitly.
    Serialised as a string with two places, `"30.00"`.
    """

    json_pattern: ClassVar[str] = r"^-?[0-9]+\.[0-9]{2}$"

    def __new__(cls, value: str | Decimal | int = 0) -> Self:
        if isinstance(value, cls):
            return value
        return super().__new__(cls, cls._cents(value))

    @classmethod
    def _cents(cls, value: object) -> Decimal:
        amount = _exact_decimal(value)
        try:
            cents = amount.quantize(_CENT)
        except InvalidOperation:
            raise InvalidValue("money.range", "the amount is too large") from None
        if cents != amount:
            raise InvalidValue("money.precision", "money has at most two decimal places")
        cls._check(cents)
        return cents.copy_abs() if cents.is_zero() else cents

    @classmethod
    def _check(cls, cents: Decimal) -> None:
        """Hook for narrower variants."""

    @classmethod
    def round_half_up(cls, value: Decimal | int) -> Self:
        """Round a computed amount to cents, halves away from zero. Round once, at the end."""
        amount = _exact_decimal(value)
        return cls(amount.quantize(_CENT, rounding=ROUND_HALF_UP))

    @classmethod
    def total(cls, amounts: Iterable[Money]) -> Money:
        """The sum of `amounts`, 0.00 for none."""
        result = Money(0)
        for amount in amounts:
            result = result + amount
        return result

    def percent(self, percentage: int | Decimal) -> Money:
        """`percentage` % of this amount, rounded half up once."""
        return Money.round_half_up(self * _exact_decimal(percentage) / 100)

    def __repr__(self) -> str:
        return f"{type(self).__name__}('{self}')"

    @overload
    def __add__(self, other: Money | int, /) -> Money: ...
    @overload
    def __add__(self, other: Decimal, /) -> Decimal: ...
    def __add__(self, other: Decimal | int, /) -> Decimal:
        if not isinstance(other, Decimal | int):
            return NotImplemented
        result = Decimal.__add__(self, other)
        return Money(result) if isinstance(other, Money | int) else result

    @overload
    def __radd__(self, other: Money | int, /) -> Money: ...
    @overload
    def __radd__(self, other: Decimal, /) -> Decimal: ...
    def __radd__(self, other: Decimal | int, /) -> Decimal:
        return self.__add__(other)

    @overload
    def __sub__(self, other: Money | int, /) -> Money: ...
    @overload
    def __sub__(self, other: Decimal, /) -> Decimal: ...
    def __sub__(self, other: Decimal | int, /) -> Decimal:
        if not isinstance(other, Decimal | int):
            return NotImplemented
        result = Decimal.__sub__(self, other)
        return Money(result) if isinstance(other, Money | int) else result

    @overload
    def __rsub__(self, other: Money | int, /) -> Money: ...
    @overload
    def __rsub__(self, other: Decimal, /) -> Decimal: ...
    def __rsub__(self, other: Decimal | int, /) -> Decimal:
        if not isinstance(other, Decimal | int):
            return NotImplemented
        result = Decimal.__rsub__(self, other)
        return Money(result) if isinstance(other, Money | int) else result

    @overload
    def __mul__(self, other: int, /) -> Money: ...
    @overload
    def __mul__(self, other: Decimal, /) -> Decimal: ...
    def __mul__(self, other: Decimal | int, /) -> Decimal:
        if not isinstance(other, Decimal | int):
            return NotImplemented
        result = Decimal.__mul__(self, other)
        return Money(result) if isinstance(other, int) else result

    @overload
    def __rmul__(self, other: int, /) -> Money: ...
    @overload
    def __rmul__(self, other: Decimal, /) -> Decimal: ...
    def __rmul__(self, other: Decimal | int, /) -> Decimal:
        return self.__mul__(other)

    def __neg__(self) -> Money:
        return Money(Decimal.__neg__(self))

    def __abs__(self) -> Money:
        return Money(Decimal.__abs__(self))

    @classmethod
    def _from_pydantic(cls, value: object) -> Self:
        if isinstance(value, cls):
            return value
        try:
            return Decimal.__new__(cls, cls._cents(value))
        except InvalidValue as error:
            raise error.as_pydantic_error() from None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: GetCoreSchemaHandler) -> CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._from_pydantic,
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": cls.json_pattern, "examples": ["30.00"]}


class NonNegativeMoney(Money):
    """Money that is zero or more (`money.negative` otherwise): fees, shares, amounts asked."""

    json_pattern: ClassVar[str] = r"^[0-9]+\.[0-9]{2}$"

    @classmethod
    def _check(cls, cents: Decimal) -> None:
        if cents < 0:
            raise InvalidValue("money.negative", "this amount cannot be negative")
