"""Random valid identifiers for tests, unique within the test session."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from typing import Literal, TypeVar

from mediprima_contracts.testing.numbers import (
    make_enterprise_number,
    make_hospital_number,
    make_riziv,
    make_ssin,
)
from mediprima_contracts.values import (
    GENERAL_PRACTITIONER_QUALIFICATIONS,
    EnterpriseNumber,
    NisCode,
    Profession,
    RizivNumber,
    Ssin,
)

T = TypeVar("T", bound=str)

_rng = random.Random()
_issued: set[str] = set()
_OLDEST = date(1930, 1, 1)


def _unique(build: Callable[[random.Random], T], rng: random.Random | None) -> T:
    for _ in range(1000):
        value = build(rng or _rng)
        if value not in _issued:
            _issued.add(value)
            return value
    raise RuntimeError("ran out of unique values")


def _birth_date(rng: random.Random, born: date | None) -> date:
    if born is not None:
        return born
    return _OLDEST + timedelta(days=rng.randrange((date.today() - _OLDEST).days))  # noqa: DTZ011


def random_ssin(*, born: date | None = None, rng: random.Random | None = None) -> Ssin:
    """A register number (not BIS); pass `born` for a given birth date (2000+ works)."""
    return _unique(
        lambda r: _ssin(_birth_date(r, born), bis_offset=0, sequence=r.randint(1, 998)), rng
    )


def random_bis_number(
    *,
    born: date | None = None,
    sex_known: bool = True,
    birth_date_known: bool = True,
    rng: random.Random | None = None,
) -> Ssin:
    """A BIS number: month +40 when the sex is known, +20 otherwise; month/day 00 if unknown."""
    offset: Literal[20, 40] = 40 if sex_known else 20

    def build(r: random.Random) -> Ssin:
        birth = _birth_date(r, born)
        sequence = r.randint(1, 998)
        if not birth_date_known:
            return make_ssin(year=birth.year, sequence=sequence, bis_offset=offset)
        return _ssin(birth, bis_offset=offset, sequence=sequence)

    return _unique(build, rng)


def _ssin(birth: date, *, bis_offset: Literal[0, 20, 40], sequence: int) -> Ssin:
    return make_ssin(
        year=birth.year,
        month=birth.month,
        day=birth.day,
        sequence=sequence,
        bis_offset=bis_offset,
    )


def random_riziv(
    *,
    profession: int = Profession.DOCTOR,
    qualification: str = "000",
    rng: random.Random | None = None,
) -> RizivNumber:
    """An individual provider's RIZIV number with the given profession and qualification."""
    return _unique(
        lambda r: make_riziv(
            profession=profession, sequence=r.randrange(100_000), qualification=qualification
        ),
        rng,
    )


def random_gp_riziv(*, rng: random.Random | None = None) -> RizivNumber:
    """A general practitioner: a doctor with a GP qualification code."""
    qualification = (rng or _rng).choice(sorted(GENERAL_PRACTITIONER_QUALIFICATIONS))
    return random_riziv(profession=Profession.DOCTOR, qualification=qualification, rng=rng)


def random_dentist_riziv(*, rng: random.Random | None = None) -> RizivNumber:
    return random_riziv(profession=Profession.DENTIST, qualification="001", rng=rng)


def random_hospital_number(*, rng: random.Random | None = None) -> RizivNumber:
    """An 8-digit hospital institution number starting with 710 or 720."""
    return _unique(
        lambda r: make_hospital_number(prefix=r.choice(("710", "720")), sequence=r.randrange(1000)),
        rng,
    )


def random_enterprise_number(*, rng: random.Random | None = None) -> EnterpriseNumber:
    """An enterprise number starting with 0 (like the OCMWs' `02...` numbers) or 1."""
    return _unique(lambda r: make_enterprise_number(body=r.randrange(1, 20_000_000)), rng)


def random_nis_code(*, rng: random.Random | None = None) -> NisCode:
    """A well-formed NIS code (not necessarily an existing municipality)."""
    return NisCode(f"{(rng or _rng).randrange(10_000, 100_000)}")
