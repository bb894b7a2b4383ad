"""Validated value types: each checks its input once and serialises as a string."""

from mediprima_contracts.values.bounded_date import BOUNDED_MONTH_PATTERN, BoundedDate
from mediprima_contracts.values.enterprise_number import EnterpriseNumber
from mediprima_contracts.values.errors import InvalidValue
from mediprima_contracts.values.identifiers import (
    CourtReference,
    DecisionNumber,
    Identifier,
    PersonId,
    Sha256Hex,
)
from mediprima_contracts.values.instant import Instant
from mediprima_contracts.values.money import Money, NonNegativeMoney
from mediprima_contracts.values.nis_code import NisCode
from mediprima_contracts.values.nomenclature_code import NomenclatureCode
from mediprima_contracts.values.period import Period
from mediprima_contracts.values.riziv_number import (
    GENERAL_PRACTITIONER_QUALIFICATIONS,
    HOSPITAL_PREFIXES,
    Profession,
    RizivNumber,
    riziv_check_digits,
)
from mediprima_contracts.values.ssin import Ssin
from mediprima_contracts.values.validated_string import ValidatedString
from mediprima_contracts.values.year_month import YearMonth

__all__ = [
    "BOUNDED_MONTH_PATTERN",
    "GENERAL_PRACTITIONER_QUALIFICATIONS",
    "HOSPITAL_PREFIXES",
    "BoundedDate",
    "CourtReference",
    "DecisionNumber",
    "EnterpriseNumber",
    "Identifier",
    "Instant",
    "InvalidValue",
    "Money",
    "NisCode",
    "NomenclatureCode",
    "NonNegativeMoney",
    "Period",
    "PersonId",
    "Profession",
    "RizivNumber",
    "Sha256Hex",
    "Ssin",
    "ValidatedString",
    "YearMonth",
    "riziv_check_digits",
]
