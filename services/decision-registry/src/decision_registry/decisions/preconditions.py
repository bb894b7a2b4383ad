"""`If-Match` on a decision: the version the OCMW read (its ETag) must still be current."""

from __future__ import annotations

import re

from servicekit.errors import ServiceError

_VERSION = re.compile(r'^\s*(?:W/)?"?([0-9]{1,9})"?\s*$')


class PreconditionRequired(ServiceError):
    """RFC 6585: a change without `If-Match` could silently overwrite another's change."""

    status = 428
    title = "Precondition required"


def parse_if_match(header: str | None) -> int:
    """The version in `If-Match` (`"3"`, `3` or `W/"3"`); missing or unreadable is 428."""
    match = _VERSION.match(header) if header is not None else None
    if match is None:
        raise PreconditionRequired.for_rule(
            "D-01",
            "decision.if_match_required",
            'Send If-Match with the version you read (its ETag, e.g. "3")',
            "If-Match",
        )
    return int(match.group(1))
