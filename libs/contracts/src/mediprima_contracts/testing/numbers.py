"""Build valid identifiers from their parts (deterministic) — the ground the factories stand on."""

from __future__ import annotations

from typing import Literal

from mediprima_contracts.values import EnterpriseNumber, RizivNumber, Ssin, riziv_check_digits

BisOffset = Literal[0, 20, 40]
"""0 for a register number; 20 for a BIS number with sex unknown, 40 with sex known."""


def make_ssin(
    *, year: int, month: int = 0, day: int = 0, sequence: int, bis_offset: BisOffset = 0
) -> Ssin:
    """An SSIN for a birth date; month 0 / day 0 where unknown. Check on `2...` from 2000."""
    body = f"{year % 100:02d}{month + bis_offset:02d}{day:02d}{sequence:03d}"
    checked = int(("2" if year >= 2000 else "") + body)
    return Ssin(f"{body}{97 - checked % 97:02d}")


def make_riziv(*, profession: int, sequence: int, qualification: str) -> RizivNumber:
    """An individual provider's number: profession digit, sequence, check, qualification."""
    body = f"{profession}{sequence:05d}"
    return RizivNumber(f"{body}{riziv_check_digits(body):02d}{qualification}")


def make_hospital_number(*, prefix: Literal["710", "720"], sequence: int) -> RizivNumber:
    body = f"{prefix}{sequence:03d}"
    return RizivNumber(f"{body}{riziv_check_digits(body):02d}")


def make_enterprise_number(*, body: int) -> EnterpriseNumber:
    """From the first eight digits (0 to 19,999,999), the check being 97 - (body mod 97)."""
    return EnterpriseNumber(f"{body:08d}{97 - body % 97:02d}")
