"""Decision numbers: the row id with two mod-97 check digits, so a mistyped number is caught."""


def decision_number_for(row_id: int) -> str:
    base = f"{row_id:010d}"
    return f"{base}{97 - int(base) % 97:02d}"


def is_well_formed(number: str) -> bool:
    if len(number) != 12 or not number.isdigit():
        return False
    return decision_number_for(int(number[:10])) == number
