"""NIS code of a Belgian municipality."""

from __future__ import annotations

import re

from mediprima_contracts.values.errors import InvalidValue
from mediprima_contracts.values.validated_string import ValidatedString

_NIS = re.compile(r"[1-9][0-9]{4}")


class NisCode(ValidatedString):
    """Five digits; the first (1-9) names the province or region, e.g. `44021` (Gent).

    Code: `nis_code.type`, `nis_code.format`.
    """

    code_prefix = "nis_code"
    json_pattern = r"^[1-9][0-9]{4}$"
    json_example = "44021"

    @classmethod
    def canonical(cls, value: str) -> str:
        number = value.strip()
        if not _NIS.fullmatch(number):
            raise InvalidValue("nis_code.format", "a NIS code has 5 digits, the first one 1-9")
        return number
