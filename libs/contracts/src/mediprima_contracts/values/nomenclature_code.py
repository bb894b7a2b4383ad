"""RIZIV nomenclature code of a procedure."""

from __future__ import annotations

import re

from mediprima_contracts.values.errors import InvalidValue
from mediprima_contracts.values.validated_string import ValidatedString

_SIX_DIGITS = re.compile(r"[0-9]{6}")


class NomenclatureCode(ValidatedString):
    """Six digits, kept as a string (codes may start with 0), e.g. `101076`.

    Code: `nomenclature_code.type`, `nomenclature_code.format`.
    """

    code_prefix = "nomenclature_code"
    json_pattern = r"^[0-9]{6}$"
    json_example = "101076"

    @classmethod
    def canonical(cls, value: str) -> str:
        code = value.strip()
        if not _SIX_DIGITS.fullmatch(code):
            raise InvalidValue("nomenclature_code.format", "a nomenclature code has 6 digits")
        return code
