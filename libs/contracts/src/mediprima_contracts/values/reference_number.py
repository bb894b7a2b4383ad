"""Twelve-digit references the platform hands out (decision, agreement and certificate numbers):
ten digits and two mod-97 check digits, so a mistyped number is caught."""

from __future__ import annotations

_BASE_DIGITS = 10


def with_check_digits(base: int) -> str:
    """`base` as ten digits followed by 97 - (base mod 97)."""
    return f"{base:0{_BASE_DIGITS}d}{97 - base % 97:02d}"


def has_check_digits(number: str) -> bool:
    """Twelve ASCII digits whose last two are the check digits of the first ten."""
    if len(number) != _BASE_DIGITS + 2 or not number.isascii() or not number.isdigit():
        return False
    return with_check_digits(int(number[:_BASE_DIGITS])) == number
