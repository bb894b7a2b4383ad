"""Decision events fed to the `client` service through its SQL event log, for the tests of
issue 4 (written while tests/delivery.py was not yet committed; the two may be merged)."""

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


def envelope(data: EventData) -> Envelope[Any]:
    return Envelope.wrap(data, source="decision-registry", correlation_id=uuid.uuid4().hex)


async def deliver(
    workdir: Path, *events: EventData | Envelope[Any], key: str | None = None
) -> None:
    """Publish `events` in order; one `key` for all puts them on one partition, in order."""
    records = []
    for item in events:
        wrapped = item if isinstance(item, Envelope) else envelope(item)
        records.append(
            OutgoingRecord(wrapped.topic, key or wrapped.subject, serialize_envelope(wrapped), {})
        )
    bus = build_bus("sql", sql_url=f"sqlite+aiosqlite:///{workdir / 'bus.db'}")
    await bus.start()
    try:
        await bus.publish(records)
    finally:
        await bus.close()


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], *, seconds: float = 5.0
) -> T:
    """Probe until `done` or `seconds` passed; the last result, for the test to assert on."""
    deadline = asyncio.get_running_loop().time() + seconds
    result = await probe()
    while not done(result) and asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(0.1)
        result = await probe()
    return result


def revised(data: EventData, **changes: Any) -> Any:
    """A validated copy of `data` with `changes`, e.g. the next version of a decision."""
    return type(data).model_validate({**data.model_dump(), **changes})
