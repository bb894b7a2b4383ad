"""Valid, distinct identifiers by index, so every part of a run draws from one space and none
collides: the seeded decisions' people, the new people B4 files decisions for, the GPs."""

from __future__ import annotations

from datetime import date, timedelta

from mediprima_contracts.testing import make_enterprise_number, make_riziv, make_ssin
from mediprima_contracts.values import (
    GENERAL_PRACTITIONER_QUALIFICATIONS,
    EnterpriseNumber,
    NisCode,
    Profession,
    RizivNumber,
    Ssin,
)

_FIRST_BIRTH_DAY = date(1950, 1, 1)
_BIRTH_DAYS = 20_000  # 1950 to 2004
# 7,919 is prime and shares no factor with 20,000: index → day is a permutation, so people
# spread over the birth years instead of crowding the first months of 1950.
_DAY_STRIDE = 7_919
_GP_QUALIFICATIONS = sorted(GENERAL_PRACTITIONER_QUALIFICATIONS)
# 0 2xx xxx xxx, like the OCMWs' own numbers
_FIRST_OCMW_BODY = 2_100_000


def person_ssin(index: int) -> Ssin:
    """The register number of person `index` (0 … 19,959,999), distinct for every index."""
    born = _FIRST_BIRTH_DAY + timedelta(days=index * _DAY_STRIDE % _BIRTH_DAYS)
    return make_ssin(
        year=born.year, month=born.month, day=born.day, sequence=index // _BIRTH_DAYS + 1
    )


def ocmw_number(index: int) -> EnterpriseNumber:
    return make_enterprise_number(body=_FIRST_OCMW_BODY + index)


def ocmw_nis(index: int) -> NisCode:
    """A well-formed municipality code per OCMW (the first digit names a region, 1 … 9)."""
    return NisCode(f"{11_000 + index * 157 % 88_000}")


def gp_riziv(index: int) -> RizivNumber:
    """General practitioner `index` (0 … 99,999)."""
    return make_riziv(
        profession=Profession.DOCTOR,
        sequence=index,
        qualification=_GP_QUALIFICATIONS[index % len(_GP_QUALIFICATIONS)],
    )
