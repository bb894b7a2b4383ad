from __future__ import annotations

from datetime import date

from mediprima_contracts.testing import (
    random_bis_number,
    random_dentist_riziv,
    random_enterprise_number,
    random_gp_riziv,
    random_hospital_number,
    random_nis_code,
    random_riziv,
    random_ssin,
)
from mediprima_contracts.values import EnterpriseNumber, NisCode, RizivNumber, Ssin


def test_random_ssins_are_valid_unique_register_numbers() -> None:
    numbers = [random_ssin() for _ in range(500)]
    assert len(set(numbers)) == 500
    assert all(isinstance(number, Ssin) and not number.is_bis for number in numbers)


def test_random_ssin_can_be_born_2000_or_later() -> None:
    assert random_ssin(born=date(2003, 2, 28)).birth_date == date(2003, 2, 28)


def test_random_bis_numbers_follow_the_month_offsets() -> None:
    known = random_bis_number(born=date(1990, 5, 4))
    unknown_sex = random_bis_number(sex_known=False)
    unknown_birth = random_bis_number(birth_date_known=False)
    assert known.is_bis
    assert known[2:4] == "45"
    assert known.birth_date == date(1990, 5, 4)
    assert 20 <= int(unknown_sex[2:4]) <= 32
    assert unknown_birth.is_bis
    assert unknown_birth.birth_date is None


def test_random_provider_numbers_have_the_asked_profession() -> None:
    assert all(random_gp_riziv().is_general_practitioner for _ in range(50))
    assert random_dentist_riziv().is_dentist
    assert random_riziv(profession=5, qualification="100").profession == 5
    hospital = random_hospital_number()
    assert isinstance(hospital, RizivNumber)
    assert hospital.is_hospital


def test_random_enterprise_and_nis_numbers_are_valid() -> None:
    numbers = {random_enterprise_number() for _ in range(200)}
    assert len(numbers) == 200
    assert all(isinstance(number, EnterpriseNumber) for number in numbers)
    assert isinstance(random_nis_code(), NisCode)
