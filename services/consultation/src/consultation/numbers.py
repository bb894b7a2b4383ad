"""Numbers handed to providers (agreements, certificates): ten random digits and two mod-97
check digits, so they can't be guessed and a typo is caught.

Invoicing and tariffing validate agreement numbers as `^\\d{12}$`; keep exactly this format.
"""

import secrets


def new_reference_number() -> str:
    base = f"{secrets.randbelow(10**10):010d}"
    return f"{base}{97 - int(base) % 97:02d}"


def is_well_formed(number: str) -> bool:
    """Twelve digits whose last two are the check digits of the first ten."""
    if len(number) != 12 or not number.isascii() or not number.isdigit():
        return False
    return int(number[10:]) == 97 - int(number[:10]) % 97
