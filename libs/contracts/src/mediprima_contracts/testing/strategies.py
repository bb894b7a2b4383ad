"""Hypothesis strategies for valid identifiers and money (needs the `hypothesis` dev dependency)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import strategies as st

from mediprima_contracts.testing.numbers import (
    make_enterprise_number,
    make_hospital_number,
    make_riziv,
    make_ssin,
)
from mediprima_contracts.values import (
    GENERAL_PRACTITIONER_QUALIFICATIONS,
    EnterpriseNumber,
    Money,
    Profession,
    RizivNumber,
    Ssin,
)

_sequences = st.integers(min_value=1, max_value=998)


def birth_dates(min_value: date = date(1900, 1, 1)) -> st.SearchStrategy[date]:
    return st.dates(min_value=min_value, max_value=date.today())  # noqa: DTZ011


@st.composite
def register_numbers(draw: st.DrawFn, born: st.SearchStrategy[date] | None = None) -> Ssin:
    """Register numbers (not BIS) with a known birth date."""
    birth = draw(born if born is not None else birth_dates())
    return make_ssin(year=birth.year, month=birth.month, day=birth.day, sequence=draw(_sequences))


@st.composite
def bis_numbers(draw: st.DrawFn, born: st.SearchStrategy[date] | None = None) -> Ssin:
    """BIS numbers, month +20 or +40, with a known or unknown (00) birth month and day."""
    birth = draw(born if born is not None else birth_dates())
    known = draw(st.booleans())
    return make_ssin(
        year=birth.year,
        month=birth.month if known else 0,
        day=birth.day if known else 0,
        sequence=draw(_sequences),
        bis_offset=draw(st.sampled_from((20, 40))),
    )


@st.composite
def unknown_birth_date_numbers(draw: st.DrawFn) -> Ssin:
    """Register numbers with month and day 00."""
    return make_ssin(year=draw(birth_dates()).year, sequence=draw(_sequences))


def ssins() -> st.SearchStrategy[Ssin]:
    """Any valid SSIN: register numbers, BIS numbers, unknown birth dates, 1900s and 2000s."""
    return st.one_of(register_numbers(), bis_numbers(), unknown_birth_date_numbers())


@st.composite
def riziv_numbers(draw: st.DrawFn) -> RizivNumber:
    """Individual providers' numbers of any profession digit and qualification."""
    return make_riziv(
        profession=draw(st.integers(1, 9)),
        sequence=draw(st.integers(0, 99_999)),
        qualification=f"{draw(st.integers(0, 999)):03d}",
    )


@st.composite
def gp_riziv_numbers(draw: st.DrawFn) -> RizivNumber:
    return make_riziv(
        profession=Profession.DOCTOR,
        sequence=draw(st.integers(0, 99_999)),
        qualification=draw(st.sampled_from(sorted(GENERAL_PRACTITIONER_QUALIFICATIONS))),
    )


@st.composite
def hospital_numbers(draw: st.DrawFn) -> RizivNumber:
    return make_hospital_number(
        prefix=draw(st.sampled_from(("710", "720"))), sequence=draw(st.integers(0, 999))
    )


def enterprise_numbers() -> st.SearchStrategy[EnterpriseNumber]:
    return st.integers(1, 19_999_999).map(lambda body: make_enterprise_number(body=body))


def money(min_cents: int = -10_000_000, max_cents: int = 10_000_000) -> st.SearchStrategy[Money]:
    return st.integers(min_cents, max_cents).map(lambda cents: Money(Decimal(cents) / 100))
