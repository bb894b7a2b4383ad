"""Feeds the service real events through its SQL event log, as an upstream service would."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.registry import serialize_envelope
from servicekit.bus.api import OutgoingRecord
from servicekit.bus.factory import build_bus

T = TypeVar("T")


def envelope(data: EventData, *, source: str = "decision-registry") -> Envelope[Any]:
    return Envelope.wrap(data, source=source, correlation_id=uuid.uuid4().hex)


async def deliver(
    workdir: Path, *events: EventData | Envelope[Any], key: str | None = None
) -> None:
    """Publish `events` in order to the event log the `client` service reads.

    `key` puts every record on one key (hence one partition), so they are applied in order.
    """
    envelopes = [item if isinstance(item, Envelope) else envelope(item) for item in events]
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{workdir / 'bus.db'}")
    await bus.start()
    try:
        await bus.publish(
            [
                OutgoingRecord(item.topic, key or item.subject, serialize_envelope(item), {})
                for item in envelopes
            ]
        )
    finally:
        await bus.close()


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], *, attempts: int = 50
) -> T:
    """Probe every 0.1 s until `done`; the last result either way, for the test to assert on."""
    result = await probe()
    for _ in range(attempts):
        if done(result):
            break
        await asyncio.sleep(0.1)
        result = await probe()
    return result


def revised(data: EventData, **changes: Any) -> Any:
    """A validated copy of `data` with `changes` (e.g. the next version of a decision)."""
    return type(data).model_validate({**data.model_dump(), **changes})
