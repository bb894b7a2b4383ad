"""The `mediprima.register-mutations` topic, applied exactly as `POST /v1/mutations` is."""

from __future__ import annotations

from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.mutations import service
from mediprima_contracts.envelope import Envelope
from mediprima_contracts.events.register_mutations import RegisterMutationReported

log = structlog.get_logger()


async def on_register_mutation(session: AsyncSession, envelope: Envelope[Any]) -> None:
    mutation: RegisterMutationReported = envelope.data
    outcome = await service.apply_mutation(session, mutation=mutation)
    log.info(
        "decision_registry.mutation.applied",
        kind=mutation.kind.value,
        decisions=[(item.decision_number, item.effect, item.version) for item in outcome.decisions],
    )
