"""SSIN (INSZ/NISS): the national register number or the BIS number of a person."""

from __future__ import annotations

import re
from datetime import date

from stdnum.be import bis, nn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, ValidationError

from mediprima_contracts.values.errors import InvalidValue
from mediprima_contracts.values.validated_string import ValidatedString

_ELEVEN_DIGITS = re.compile(r"[0-9]{11}")


def _month_field(number: str) -> int:
    return int(number[2:4])


def _is_bis_month(month_field: int) -> bool:
    """BIS numbers raise the month by 20 (sex unknown) or 40 (sex known)."""
    return 20 <= month_field <= 32 or 40 <= month_field <= 52


class Ssin(ValidatedString):
    """Social security identification number, kept as 11 digits `YYMMDDSSSCC`.

    Input may carry dots, dashes or spaces (`85.07.30-033.28`). The check itself is
    python-stdnum's (`stdnum.be.nn`, `stdnum.be.bis`): CC = 97 - (YYMMDDSSS mod 97), or computed
    on `2YYMMDDSSS` for people born in 2000 or later; month 00 and day 00 stand for an unknown
    birth date; a BIS number has its month raised by 20 or 40.

    Codes: `ssin.type`, `ssin.format`, `ssin.length`, `ssin.check_digits`, `ssin.month`.
    """

    code_prefix = "ssin"
    json_pattern = r"^[0-9]{11}$"
    json_example = "85073003328"

    @classmethod
    def canonical(cls, value: str) -> str:
        number = nn.compact(value)
        if not number.isascii() or not number.isdigit():
            raise InvalidValue("ssin.format", "an SSIN holds only digits (and separators)")
        if not _ELEVEN_DIGITS.fullmatch(number):
            raise InvalidValue("ssin.length", "an SSIN has 11 digits")
        try:
            if _is_bis_month(_month_field(number)):
                bis.validate(number)
            else:
                nn.validate(number)
        except InvalidChecksum:
            raise InvalidValue(
                "ssin.check_digits", "the SSIN's check digits do not match"
            ) from None
        except InvalidComponent:
            raise InvalidValue(
                "ssin.month",
                "the SSIN's month must be 00-12 (register number) or 20-32, 40-52 (BIS number)",
            ) from None
        except ValidationError:
            raise InvalidValue("ssin.format", "this is not an SSIN") from None
        return number

    @property
    def is_bis(self) -> bool:
        """A BIS number: the person is not in the population register."""
        return _is_bis_month(_month_field(self))

    @property
    def birth_date(self) -> date | None:
        """The birth date, or None where the number leaves it unknown (month or day 00)."""
        return nn.get_birth_date(self)

    @property
    def formatted(self) -> str:
        """Presentation form, `85.07.30-033.28`."""
        return nn.format(self)
