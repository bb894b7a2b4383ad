"""Read the machine code of a contract error in a test."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import ValidationError

from mediprima_contracts.values import InvalidValue


def error_code(build: Callable[[], object]) -> str:
    """The code of the error `build()` raises: a value type's code or pydantic's error type."""
    try:
        build()
    except InvalidValue as error:
        return error.code
    except ValidationError as error:
        return str(error.errors()[0]["type"])
    raise AssertionError("expected an invalid value, but it was accepted")
