"""Decision numbers: the row id with two mod-97 check digits, so a mistyped number is caught."""

from mediprima_contracts.values.reference_number import has_check_digits, with_check_digits


def decision_number_for(row_id: int) -> str:
    return with_check_digits(row_id)


def is_well_formed(number: str) -> bool:
    return has_check_digits(number)
