"""Enterprise number (KBO/BCE) of an OCMW."""

from __future__ import annotations

from stdnum.be import vat
from stdnum.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidLength,
    ValidationError,
)

from mediprima_contracts.values.errors import InvalidValue
from mediprima_contracts.values.validated_string import ValidatedString


class EnterpriseNumber(ValidatedString):
    """KBO/BCE enterprise number, kept as 10 digits starting with 0 or 1.

    Accepts the `BE` prefix, separators and the old 9-digit form (`BE 403.170.701`), all
    normalised by python-stdnum (`stdnum.be.vat`). The last two digits are
    97 - (first eight mod 97); stdnum also lets `00` through where that formula gives 97,
    which no real number uses, so it is refused here.

    Codes: `enterprise_number.type`, `.format`, `.length`, `.first_digit`, `.check_digits`.
    """

    code_prefix = "enterprise_number"
    json_pattern = r"^[01][0-9]{9}$"
    json_example = "0212344876"

    @classmethod
    def canonical(cls, value: str) -> str:
        try:
            number: str = vat.validate(value)
        except InvalidLength:
            raise InvalidValue(
                "enterprise_number.length", "an enterprise number has 10 digits"
            ) from None
        except InvalidComponent:
            raise InvalidValue(
                "enterprise_number.first_digit", "an enterprise number starts with 0 or 1"
            ) from None
        except InvalidChecksum:
            raise InvalidValue(
                "enterprise_number.check_digits",
                "the enterprise number's check digits do not match",
            ) from None
        except ValidationError:
            raise InvalidValue(
                "enterprise_number.format", "an enterprise number holds only digits"
            ) from None
        if number.endswith("00"):
            raise InvalidValue(
                "enterprise_number.check_digits",
                "the enterprise number's check digits do not match",
            )
        return number

    @property
    def formatted(self) -> str:
        """Presentation form, `0212.344.876`."""
        return f"{self[:4]}.{self[4:7]}.{self[7:]}"
