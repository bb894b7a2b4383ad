from sqlalchemy.ext.asyncio import AsyncSession

from consultation.decisions.models import DecisionVersionView
from servicekit.readmodel import current_versions


async def current_versions_for(session: AsyncSession, ssin: str) -> list[DecisionVersionView]:
    """The highest version of each decision about this person."""
    query = current_versions(
        DecisionVersionView,
        DecisionVersionView.decision_number,
        DecisionVersionView.ssin == ssin,
    )
    return list(await session.scalars(query))
