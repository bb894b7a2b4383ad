from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions.models import Decision, DecisionVersion


async def add_decision(session: AsyncSession, decision: Decision) -> Decision:
    session.add(decision)
    await session.flush()
    return decision


async def add_version(session: AsyncSession, version: DecisionVersion) -> None:
    session.add(version)
    await session.flush()


async def get_by_number(session: AsyncSession, decision_number: str) -> Decision | None:
    return await session.scalar(select(Decision).where(Decision.decision_number == decision_number))


async def get_version(
    session: AsyncSession, decision_id: int, version: int
) -> DecisionVersion | None:
    return await session.get(DecisionVersion, (decision_id, version))


async def list_versions(session: AsyncSession, decision_id: int) -> list[DecisionVersion]:
    rows = await session.scalars(
        select(DecisionVersion)
        .where(DecisionVersion.decision_id == decision_id)
        .order_by(DecisionVersion.version)
    )
    return list(rows)


async def list_for_person(
    session: AsyncSession, *, ssin: str, ocmw_enterprise_number: str | None
) -> list[Decision]:
    query = select(Decision).where(Decision.ssin == ssin).order_by(Decision.id)
    if ocmw_enterprise_number is not None:
        query = query.where(Decision.ocmw_enterprise_number == ocmw_enterprise_number)
    return list(await session.scalars(query))
