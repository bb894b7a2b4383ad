"""Feeds the running service real events over its SQL event log, as upstream services would,
and waits for what a user can observe."""

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

Observed = TypeVar("Observed")


def envelope(data: EventData, *, source: str = "upstream") -> Envelope[Any]:
    """A fresh envelope (new event id) around `data`: a redelivery the inbox cannot drop."""
    return Envelope.wrap(data, source=source, correlation_id=uuid.uuid4().hex)


async def deliver(
    workdir: Path, *events: EventData | Envelope[Any], key: str | None = None
) -> None:
    """Publish in order on the `client` service's event log; one `key` keeps them in order."""
    wrapped = [event if isinstance(event, Envelope) else envelope(event) for event in events]
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{workdir / 'bus.db'}")
    await bus.start()
    try:
        records = [
            OutgoingRecord(item.topic, key or item.subject, serialize_envelope(item), {})
            for item in wrapped
        ]
        await bus.publish(records)
    finally:
        await bus.close()


async def eventually(
    probe: Callable[[], Awaitable[Observed]],
    done: Callable[[Observed], bool],
    *,
    seconds: float = 10.0,
) -> Observed:
    """Probe until `done` or time is up; the last observation either way, to assert on."""
    observed = await probe()
    deadline = asyncio.get_running_loop().time() + seconds
    while not done(observed) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)
        observed = await probe()
    return observed


def next_version(data: Any, **changes: Any) -> Any:
    """A validated copy of an event with `changes` applied."""
    return type(data).model_validate({**data.model_dump(), **changes})
