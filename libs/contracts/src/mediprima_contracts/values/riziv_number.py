"""RIZIV/INAMI numbers of providers (11 digits) and of hospitals (8 digits)."""

from __future__ import annotations

import re
from enum import IntEnum
from typing import Final

from mediprima_contracts.values.errors import InvalidValue
from mediprima_contracts.values.validated_string import ValidatedString


class Profession(IntEnum):
    """The first digit of an individual provider's RIZIV number (reference data)."""

    DOCTOR = 1
    PHARMACIST = 2
    DENTIST = 3
    NURSE_OR_MIDWIFE = 4
    PHYSIOTHERAPIST = 5
    PARAMEDIC = 6


# Reference data: the qualification codes (last three digits) of a doctor that make them a
# general practitioner for MediPrima. Change this list here, with a test, when RIZIV does.
GENERAL_PRACTITIONER_QUALIFICATIONS: Final = frozenset(
    {"003", "004", "005", "006", "007", "008", "009"}
)
HOSPITAL_PREFIXES: Final = ("710", "720")

_SEPARATORS = re.compile(r"[\s./-]")


def riziv_check_digits(body: str) -> int:
    """97 - (the six leading digits mod 97).

    When those digits are a multiple of 97 the formula gives 97, and 97 it is: `00` never
    passes, as with the other Belgian mod-97 identifiers (enterprise numbers, bank accounts).
    """
    return 97 - int(body) % 97


class RizivNumber(ValidatedString):
    """A provider's RIZIV/INAMI number, or a hospital's institution number.

    Providers: 11 digits = profession digit (1-9) + 5-digit sequence + 2 check digits +
    3-digit qualification code. Hospitals: 8 digits starting with 710 or 720, the last two being
    check digits. Check digits are `riziv_check_digits` of the first six digits in both forms.
    Input may carry dots, dashes, slashes or spaces (`1-23456-78-003`).

    Codes: `riziv_number.type`, `.format`, `.length`, `.profession`, `.hospital_prefix`,
    `.check_digits`.
    """

    code_prefix = "riziv_number"
    json_pattern = r"^([1-9][0-9]{10}|7[12]0[0-9]{5})$"
    json_example = "10000106003"

    @classmethod
    def canonical(cls, value: str) -> str:
        number = _SEPARATORS.sub("", value)
        if not number.isascii() or not number.isdigit():
            raise InvalidValue("riziv_number.format", "a RIZIV number holds only digits")
        if len(number) == 11:
            if number[0] == "0":
                raise InvalidValue(
                    "riziv_number.profession", "a provider's RIZIV number starts with 1-9"
                )
        elif len(number) == 8:
            if not number.startswith(HOSPITAL_PREFIXES):
                raise InvalidValue(
                    "riziv_number.hospital_prefix", "a hospital number starts with 710 or 720"
                )
        else:
            raise InvalidValue(
                "riziv_number.length", "a RIZIV number has 11 digits (provider) or 8 (hospital)"
            )
        if int(number[6:8]) != riziv_check_digits(number[:6]):
            raise InvalidValue(
                "riziv_number.check_digits", "the RIZIV number's check digits do not match"
            )
        return number

    @property
    def is_hospital(self) -> bool:
        return len(self) == 8

    @property
    def profession(self) -> int | None:
        """The profession digit (compare with `Profession`); None for a hospital."""
        return None if self.is_hospital else int(self[0])

    @property
    def qualification(self) -> str | None:
        """The 3-digit qualification code; None for a hospital."""
        return None if self.is_hospital else self[8:]

    @property
    def is_doctor(self) -> bool:
        return self.profession == Profession.DOCTOR

    @property
    def is_dentist(self) -> bool:
        return self.profession == Profession.DENTIST

    @property
    def is_general_practitioner(self) -> bool:
        return self.is_doctor and self.qualification in GENERAL_PRACTITIONER_QUALIFICATIONS

    @property
    def formatted(self) -> str:
        """Presentation form: `1-23456-78-003`, or `710-004-36` for a hospital."""
        if self.is_hospital:
            return f"{self[:3]}-{self[3:6]}-{self[6:]}"
        return f"{self[0]}-{self[1:6]}-{self[6:8]}-{self[8:]}"
