"""Agreement numbers: ten random digits and two mod-97 check digits, so they can't be guessed."""

import secrets


def new_agreement_number() -> str:
    base = f"{secrets.randbelow(10**10):010d}"
    return f"{base}{97 - int(base) % 97:02d}"
