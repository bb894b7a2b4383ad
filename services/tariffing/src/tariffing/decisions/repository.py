from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_domain.coverage import DecisionHistory
from tariffing.decisions.models import READ_MODEL


async def history_for(session: AsyncSession, ssin: str) -> DecisionHistory:
    """Every version of every decision about the person known by `ssin`, under any number."""
    return await READ_MODEL.history_for(session, ssin)
