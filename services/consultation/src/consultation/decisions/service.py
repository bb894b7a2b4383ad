"""What the read model of decisions answers: the shared coverage resolution (C-01)."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from consultation.decisions.models import READ_MODEL
from mediprima_domain.coverage import (
    CareQuestion,
    CoverageAnswer,
    DecisionHistory,
    resolve_coverage,
)


async def history_for(session: AsyncSession, ssin: str) -> DecisionHistory:
    """Every version of every decision about the person known by `ssin`, under any number."""
    return await READ_MODEL.history_for(session, ssin)


async def answer_for(session: AsyncSession, question: CareQuestion) -> CoverageAnswer:
    """C-01: the one coverage answer, on this service's read model."""
    return resolve_coverage(await history_for(session, question.ssin), question)
