"""Consumers record each event id in the transaction of its effect, so a repeat changes nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.messaging.tables import inbox


async def claim(session: AsyncSession, *, consumer: str, event_id: uuid.UUID) -> bool:
    """True the first time `consumer` sees `event_id`; a concurrent twin fails on the key."""
    seen = await session.scalar(
        select(inbox.c.event_id).where(
            inbox.c.consumer == consumer, inbox.c.event_id == str(event_id)
        )
    )
    if seen is not None:
        return False
    await session.execute(
        inbox.insert().values(
            consumer=consumer, event_id=str(event_id), processed_at=datetime.now(UTC)
        )
    )
    return True
