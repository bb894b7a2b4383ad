"""Feeds the service real events through its SQL event log, as the register feed would."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from mediprima_contracts.envelope import Envelope, EventData
from mediprima_contracts.registry import serialize_envelope
from servicekit.bus.api import OutgoingRecord
from servicekit.bus.factory import build_bus

T = TypeVar("T")


async def deliver(workdir: Path, *events: EventData) -> None:
    """Publish `events` in order on the event log the `client` service reads."""
    envelopes = [
        Envelope.wrap(data, source="register-feed", correlation_id=uuid.uuid4().hex)
        for data in events
    ]
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{workdir / 'bus.db'}")
    await bus.start()
    try:
        await bus.publish(
            [
                OutgoingRecord(item.topic, item.subject, serialize_envelope(item), {})
                for item in envelopes
            ]
        )
    finally:
        await bus.close()


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], *, attempts: int = 80
) -> T:
    """Probe every 0.1 s until `done`; the last result either way, for the test to assert on."""
    result = await probe()
    for _ in range(attempts):
        if done(result):
            break
        await asyncio.sleep(0.1)
        result = await probe()
    return result
