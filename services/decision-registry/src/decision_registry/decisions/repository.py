from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions.models import Decision, DecisionVersion
from decision_registry.mutations.models import RegisterMutation


async def add_decision(session: AsyncSession, decision: Decision) -> Decision:
    session.add(decision)
    await session.flush()
    return decision


async def add_version(session: AsyncSession, version: DecisionVersion) -> None:
    session.add(version)
    await session.flush()


async def advance_version(
    session: AsyncSession,
    *,
    decision_id: int,
    expected_version: int,
    new_version: int,
    status: str,
    ssin: str,
    at: datetime,
) -> bool:
    """Move the decision to `new_version` only if it is still at `expected_version`.

    The conditional UPDATE is the guard against concurrent changes: on PostgreSQL the second
    writer waits for the first to commit, then finds the version moved and updates nothing.
    """
    result = await session.execute(
        update(Decision)
        .where(Decision.id == decision_id, Decision.current_version == expected_version)
        .values(current_version=new_version, status=status, ssin=ssin, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


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


async def list_open_for_person(session: AsyncSession, *, ssin: str) -> list[Decision]:
    """Decisions of every OCMW for this person that are not stopped (register mutations).

    Also those still filed under an old number whose SSIN change to `ssin` is pending: the
    register reports later mutations under the new number before the OCMW has reactivated.
    """
    renumbered = select(RegisterMutation.decision_id).where(
        RegisterMutation.new_ssin == ssin, RegisterMutation.status == "pending"
    )
    return list(
        await session.scalars(
            select(Decision)
            .where(
                or_(Decision.ssin == ssin, Decision.id.in_(renumbered)),
                Decision.status != "stopped",
            )
            .order_by(Decision.id)
        )
    )
