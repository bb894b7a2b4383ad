"""Money stored as whole cents: exact on SQLite (which has no decimal type) and PostgreSQL alike,
and summed by the database without floating point."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator

CENTS_PER_UNIT = 100
_CENT = Decimal("0.01")


class Cents(TypeDecorator[Decimal]):
    impl = BigInteger
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> int | None:
        if value is None:
            return None
        amount = Decimal(value)
        if amount != amount.quantize(_CENT):
            raise ValueError(f"{amount} has more than two decimals: round it before storing")
        return int(amount * CENTS_PER_UNIT)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else from_cents(value)


def from_cents(value: int | Decimal) -> Decimal:
    """A cents total from SQL (e.g. a SUM) back to money."""
    return (Decimal(value) / CENTS_PER_UNIT).quantize(_CENT)
