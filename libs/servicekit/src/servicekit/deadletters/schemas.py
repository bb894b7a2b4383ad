"""The operator API's view of dead letters: plain JSON, the same for every service."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, Field

from mediprima_contracts.values import Instant
from servicekit.deadletters.replay import ReplayOutcome, ReplayResult, ReplaySummary
from servicekit.deadletters.store import DeadLetterStatus


def _utc(moment: datetime | None) -> datetime | None:
    """SQLite hands back the UTC wall time without its offset."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class DeadLetterView(BaseModel):
    id: int = Field(description="The letter's id in this service.", examples=[7])
    status: DeadLetterStatus = Field(description="`waiting` for a replay, or `replayed`.")
    consumer_group: str = Field(
        description="The consumer group that could not apply the event.",
        examples=["invoicing.pricing"],
    )
    topic: str = Field(description="Where the event was read.", examples=["mediprima.pricing"])
    partition: int = Field(description="Its partition there.", examples=[1])
    offset: int = Field(description="Its offset in that partition.", examples=[4711])
    event_id: str | None = Field(
        description="The event's id; empty when the record is not a readable event.",
        examples=["5b0e8d7c-7d0a-4a43-9a59-1f1f6c1e2a11"],
    )
    event_type: str | None = Field(
        description="The event's type; empty when unreadable.",
        examples=["mediprima.invoice.priced"],
    )
    error: str = Field(
        description="Why it could not be applied (at the latest replay, if one failed); "
        "national numbers masked.",
        examples=["LookupError: priced invoice 9c1d… is unknown here"],
    )
    dead_lettered_at: Instant = Field(description="When the consumer gave up on it (UTC).")
    replay_attempts: int = Field(description="Replays tried so far.", examples=[0])
    replayed_at: Instant | None = Field(description="When a replay applied it (UTC).")

    @classmethod
    def of(cls, row: Any) -> DeadLetterView:
        return cls(
            id=row.id,
            status=DeadLetterStatus.WAITING
            if row.replayed_at is None
            else DeadLetterStatus.REPLAYED,
            consumer_group=row.consumer_group,
            topic=row.topic,
            partition=row.partition,
            offset=row.offset,
            event_id=row.event_id,
            event_type=row.event_type,
            error=row.error,
            dead_lettered_at=_utc(row.dead_lettered_at),
            replay_attempts=row.replay_attempts,
            replayed_at=_utc(row.replayed_at),
        )


class DeadLetterDetail(DeadLetterView):
    headers: dict[str, str] = Field(
        description="The record's bus headers (event id, type, version, correlation id)."
    )
    payload: Any = Field(
        description="The record as it was read: the event's JSON envelope, or its text when it "
        "is not JSON. It may hold a person's data: operators only."
    )

    @classmethod
    def of(cls, row: Any) -> DeadLetterDetail:
        text = bytes(row.value).decode("utf-8", errors="replace")
        try:
            payload: Any = json.loads(text)
        except ValueError:
            payload = text
        return cls(
            **DeadLetterView.of(row).model_dump(),
            headers={str(name): str(value) for name, value in row.headers.items()},
            payload=payload,
        )


class DeadLetterPage(BaseModel):
    items: list[DeadLetterView] = Field(description="This page, oldest first.")
    next_offset: int | None = Field(description="Offset of the next page, if any.")


class ReplayAnswer(BaseModel):
    id: int = Field(description="The letter replayed.", examples=[7])
    outcome: ReplayOutcome = Field(
        description="`replayed` (applied now, once) or `already_replayed` (nothing done again)."
    )

    @classmethod
    def of(cls, result: ReplayResult) -> ReplayAnswer:
        return cls(id=result.letter_id, outcome=result.outcome)


class ReplayFailure(BaseModel):
    id: int = Field(description="The letter that is still waiting.", examples=[8])
    error: str = Field(description="Why the replay failed.")


class ReplayAllAnswer(BaseModel):
    replayed: int = Field(description="Letters applied now.", examples=[3])
    already_replayed: int = Field(description="Letters replayed before: nothing done.")
    failed: list[ReplayFailure] = Field(description="Letters still waiting, with their error.")

    @classmethod
    def of(cls, summary: ReplaySummary) -> ReplayAllAnswer:
        return cls(
            replayed=summary.replayed,
            already_replayed=summary.already_replayed,
            failed=[ReplayFailure(id=r.letter_id, error=r.error or "") for r in summary.failed],
        )
