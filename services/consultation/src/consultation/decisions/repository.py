from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from consultation.decisions.models import DecisionVersionView
from servicekit.readmodel import current_versions


async def current_versions_for(session: AsyncSession, ssin: str) -> list[DecisionVersionView]:
    """The highest version of every decision that ever named this person.

    Any version counts, so a decision whose SSIN changed (D-08) still shows up under the old
    number, with its current version telling the caller the number was replaced.
    """
    about_person = select(DecisionVersionView.decision_number).where(
        DecisionVersionView.ssin == ssin
    )
    query = current_versions(
        DecisionVersionView,
        DecisionVersionView.decision_number,
        DecisionVersionView.decision_number.in_(about_person),
    )
    return list(await session.scalars(query))
