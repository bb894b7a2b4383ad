"""Events are written to the outbox in the transaction that changes the state they describe."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.registry import serialize_envelope
from servicekit import correlation
from servicekit.messaging.tables import outbox


async def add_event(session: AsyncSession, envelope: Envelope[Any]) -> None:
    await session.execute(
        outbox.insert().values(
            event_id=str(envelope.id),
            topic=envelope.topic,
            key=envelope.subject,
            payload=serialize_envelope(envelope).decode(),
            headers=bus_headers(envelope),
            created_at=datetime.now(UTC),
        )
    )


async def emit(
    session: AsyncSession,
    data: EventData,
    *,
    source: str,
    subject: str | None = None,
    occurred_at: datetime | None = None,
) -> Envelope[Any]:
    """Wrap `data` in an envelope carrying the current correlation id and queue it.

    The subject (and Kafka key) defaults to the event's own aggregate id.
    """
    envelope: Envelope[Any] = Envelope.wrap(
        data,
        subject=subject,
        source=source,
        correlation_id=correlation.current(),
        occurred_at=occurred_at,
    )
    await add_event(session, envelope)
    return envelope


def bus_headers(envelope: Envelope[Any]) -> dict[str, str]:
    return {
        correlation.BUS_HEADER: envelope.correlation_id,
        "event_id": str(envelope.id),
        "event_type": envelope.type,
        "event_version": str(envelope.version),
    }
