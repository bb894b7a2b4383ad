"""An instant in time, always in UTC: the one timestamp type of every response and event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime


def _in_utc(moment: datetime) -> datetime:
    return moment.astimezone(UTC)


Instant = Annotated[AwareDatetime, AfterValidator(_in_utc)]
"""A timestamp with its offset, normalised to UTC: serialised as `2026-12-01T20:00:56.139375Z`.

A naive datetime is refused (`timezone_aware`): without an offset an instant is ambiguous, and
a client reading it could not know which hour was meant (api.md: timestamps carry their offset).
"""
