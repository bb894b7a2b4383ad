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
