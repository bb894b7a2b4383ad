"""Consumers record each event id in the transaction of its effect, so a repeat changes nothing."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.messaging.tables import inbox


async def claim(session: AsyncSession, *, consumer: str, event_id: uuid.UUID) -> bool:
    """True the first time `consumer` sees `event_id`; a concurrent twin fails on the key."""
    return bool(await claim_many(session, consumer=consumer, event_ids=[event_id]))


async def claim_many(
    session: AsyncSession, *, consumer: str, event_ids: Sequence[uuid.UUID]
) -> set[uuid.UUID]:
    """The ids `consumer` sees for the first time, claimed with one read and one insert.

    An id repeated within `event_ids` is claimed once; a concurrent twin fails on the key.
    """
    wanted = {str(event_id): event_id for event_id in event_ids}
    if not wanted:
        return set()
    seen = set(
        await session.scalars(
            select(inbox.c.event_id).where(
                inbox.c.consumer == consumer, inbox.c.event_id.in_(list(wanted))
            )
        )
    )
    new = [key for key in wanted if key not in seen]
    if new:
        now = datetime.now(UTC)
        await session.execute(
            inbox.insert(),
            [{"consumer": consumer, "event_id": key, "processed_at": now} for key in new],
        )
    return {wanted[key] for key in new}
