"""Keeps the read model of decisions: every version, idempotent, order-independent."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from consultation.decisions.models import DecisionVersionView
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.decisions import DecisionVersionPublished
from servicekit.readmodel import keep_version


async def on_decision_version(session: AsyncSession, envelope: Envelope[Any]) -> None:
    data: DecisionVersionPublished = envelope.data
    await keep_version(
        session,
        DecisionVersionView(
            decision_number=data.decision_number,
            version=data.version,
            ssin=data.ssin,
            status=data.status,
            snapshot=data.model_dump(mode="json"),
            received_at=datetime.now(UTC),
        ),
    )
