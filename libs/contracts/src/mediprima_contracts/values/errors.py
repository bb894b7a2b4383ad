"""The one error a value type raises, with a stable machine code."""

from __future__ import annotations

from pydantic_core import PydanticCustomError


class InvalidValue(ValueError):
    """A value that breaks its type's rules.

    `code` is stable and meant for machines (`ssin.check_digits`, `money.precision`); inside
    pydantic it becomes the error `type`, so API error bodies and logs can carry it as is.
    Messages never repeat the value: it may be an SSIN.
    """

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{message} [{code}]")
        self.code = code
        self.message = message

    def as_pydantic_error(self) -> PydanticCustomError:
        return PydanticCustomError(self.code, self.message)
