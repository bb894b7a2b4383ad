"""Events are written to the outbox in the transaction that changes the state they describe."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.registry import serialize_envelope
from servicekit import correlation, statements
from servicekit.errors import ProblemItem, Unprocessable
from servicekit.messaging import outbox_signal
from servicekit.messaging.tables import outbox
from servicekit.tracing import mark_outbox_write

_DEFERRED = "servicekit.outbox_deferred"
_INSERT = outbox.insert()
MAX_EVENT_BYTES = 900_000
"""Below Kafka's default message limit (1 MiB with headers and batch overhead): an event the
bus would refuse must never reach the outbox, where it would hold up every event behind it."""


class EventTooLarge(Unprocessable):
    """The change would publish an event larger than the bus carries: refused, nothing kept."""


async def add_event(session: AsyncSession, envelope: Envelope[Any]) -> None:
    payload = serialize_envelope(envelope)
    if len(payload) > MAX_EVENT_BYTES:
        message = (
            f"The {envelope.type} event this change publishes would be {len(payload)} bytes; "
            f"the bus carries at most {MAX_EVENT_BYTES}"
        )
        raise EventTooLarge(
            message, [ProblemItem(rule=None, code="event.too_large", message=message, field=None)]
        )
    headers = bus_headers(envelope)
    mark_outbox_write(headers, topic=envelope.topic, event_type=envelope.type)
    row = {
        "event_id": str(envelope.id),
        "topic": envelope.topic,
        "key": envelope.subject,
        "payload": payload.decode(),
        "headers": headers,
        "created_at": datetime.now(UTC),
    }
    deferred: list[dict[str, Any]] | None = session.info.get(_DEFERRED)
    if deferred is not None:
        deferred.append(row)
    else:
        await statements.run(session, _INSERT, row)
    outbox_signal.mark_written(session)


def defer_writes(session: AsyncSession) -> None:
    """Collect this transaction's events for `write_deferred`, which inserts them in one go.

    For a consumer applying a batch of events; until then the rows are not in the table.
    """
    session.info[_DEFERRED] = []


async def write_deferred(session: AsyncSession) -> None:
    rows: list[dict[str, Any]] = session.info.pop(_DEFERRED, [])
    if rows:
        await statements.run(session, _INSERT, rows)


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
