"""National register and BIS numbers never reach a log line, an error or a header in clear.

Anything that may carry one (a log event and its exception text, an access-log path, a
dead-letter header, a database error with its parameters) goes through `mask_national_numbers`:
every run of 11 digits, bare or written `85.07.30-033.28`, that passes the SSIN check is shown
as `*******3328`, its last four digits kept so an operator can still tell cases apart. Runs that
fail the check (most RIZIV and enterprise numbers, amounts, ids) are left as they are.
"""

from __future__ import annotations

import re
from typing import Any

import structlog
from pydantic import ValidationError

from mediprima_contracts.values import Ssin

_CANDIDATE = re.compile(
    r"(?<![0-9])[0-9]{2}[. ]?[0-9]{2}[. ]?[0-9]{2}[-. ]?[0-9]{3}[. ]?[0-9]{2}(?![0-9])"
)
_KEPT_DIGITS = 4


def _masked(match: re.Match[str]) -> str:
    written = match.group(0)
    try:
        number = Ssin(written)
    except ValueError:
        return written
    return "*" * (len(number) - _KEPT_DIGITS) + number[-_KEPT_DIGITS:]


def mask_national_numbers(text: str) -> str:
    return _CANDIDATE.sub(_masked, text)


def describe_error(exc: BaseException) -> str:
    """What went wrong, fit for a log line or a header: a validation error by its fields and
    error types, never the values it was given; anything else by its text, numbers masked."""
    if isinstance(exc, ValidationError):
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or '<root>'}: {error['type']}"
            for error in exc.errors(include_input=False, include_url=False)
        )
        return f"{type(exc).__name__}({exc.title}: {problems})"
    return mask_national_numbers(repr(exc))


def masked(value: Any) -> Any:
    """`value` with every string in it masked, through dicts, lists and tuples."""
    if isinstance(value, str):
        return mask_national_numbers(value)
    if isinstance(value, dict):
        return {key: masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(masked(item) for item in value)
    return value


def mask_personal_data(
    _logger: object, _name: str, event: structlog.types.EventDict
) -> structlog.types.EventDict:
    """structlog processor: the last before rendering, so exception texts are masked too."""
    return {key: masked(item) for key, item in event.items()}
