from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.readmodel import current_versions
from tariffing.decisions.models import DecisionVersionView


async def current_versions_for(session: AsyncSession, ssin: str) -> list[DecisionVersionView]:
    """The highest version of each decision about this person."""
    query = current_versions(
        DecisionVersionView,
        DecisionVersionView.decision_number,
        DecisionVersionView.ssin == ssin,
    )
    return list(await session.scalars(query))


async def all_versions_for(session: AsyncSession, ssin: str) -> list[DecisionVersionView]:
    """Every version of every decision that ever named this person (C-02 needs older ones)."""
    numbers = select(DecisionVersionView.decision_number).where(DecisionVersionView.ssin == ssin)
    return list(
        await session.scalars(
            select(DecisionVersionView)
            .where(DecisionVersionView.decision_number.in_(numbers))
            .order_by(DecisionVersionView.decision_number, DecisionVersionView.version)
        )
    )
