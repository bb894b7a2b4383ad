"""The `offset` query parameter of every paginated list, bounded once."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

MAX_OFFSET = 10_000_000
"""Far past any list a caller pages through, and far inside every database's integer range
(an unbounded offset reached SQLite and PostgreSQL as an overflow: a 500)."""

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
