"""Numbers handed to providers (agreements, certificates): ten random digits and two mod-97
check digits, so they can't be guessed and a typo is caught.

Invoicing and tariffing validate agreement numbers as `^\\d{12}$`; keep exactly this format.
"""

import secrets

from mediprima_contracts.values.reference_number import has_check_digits, with_check_digits


def new_reference_number() -> str:
    return with_check_digits(secrets.randbelow(10**10))


def is_well_formed(number: str) -> bool:
    """Twelve digits whose last two are the check digits of the first ten."""
    return has_check_digits(number)
