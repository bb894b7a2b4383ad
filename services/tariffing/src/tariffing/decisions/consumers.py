"""Keeps the read model of decisions: every version, idempotent, order-independent."""

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.envelope import Envelope
from tariffing.decisions.models import READ_MODEL


async def on_decision_version(session: AsyncSession, envelope: Envelope[Any]) -> None:
    await READ_MODEL.keep(session, envelope.data)
