from sqlalchemy.ext.asyncio import AsyncSession

from consultation.consultations.models import Consultation


async def add(session: AsyncSession, consultation: Consultation) -> None:
    session.add(consultation)
    await session.flush()
