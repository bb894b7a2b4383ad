from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.decisions.models import DecisionVersionView


async def add_if_new(session: AsyncSession, view: DecisionVersionView) -> None:
    existing = await session.get(DecisionVersionView, (view.decision_number, view.version))
    if existing is None:
        session.add(view)


async def current_versions_for(session: AsyncSession, ssin: str) -> list[DecisionVersionView]:
    """The highest version of each decision about this person."""
    latest = (
        select(
            DecisionVersionView.decision_number, func.max(DecisionVersionView.version).label("v")
        )
        .where(DecisionVersionView.ssin == ssin)
        .group_by(DecisionVersionView.decision_number)
        .subquery()
    )
    query = select(DecisionVersionView).join(
        latest,
        (DecisionVersionView.decision_number == latest.c.decision_number)
        & (DecisionVersionView.version == latest.c.v),
    )
    return list(await session.scalars(query.order_by(DecisionVersionView.decision_number)))
