"""What the read model of decisions answers (C-01)."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from consultation.consultations.rules import CoverageAnswer, answer_coverage_c01
from consultation.decisions import repository
from mediprima_contracts.events.decisions import DecisionVersionPublished


async def answer_for(
    session: AsyncSession, *, ssin: str, on: date, care_type: str | None
) -> CoverageAnswer:
    """C-01 on the current versions of the person's decisions."""
    views = await repository.current_versions_for(session, ssin)
    return answer_coverage_c01(
        [DecisionVersionPublished.model_validate(view.snapshot) for view in views],
        on=on,
        care_type=care_type,
        ssin=ssin,
    )
