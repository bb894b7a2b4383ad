from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.mutations.models import MutationStatus, RegisterMutation


async def exists(session: AsyncSession, *, decision_id: int, mutation_key: str) -> bool:
    found = await session.scalar(
        select(RegisterMutation.id).where(
            RegisterMutation.decision_id == decision_id,
            RegisterMutation.mutation_key == mutation_key,
        )
    )
    return found is not None


async def add(session: AsyncSession, mutation: RegisterMutation) -> RegisterMutation:
    session.add(mutation)
    await session.flush()
    return mutation


async def pending_for(session: AsyncSession, decision_id: int) -> list[RegisterMutation]:
    return list(
        await session.scalars(
            select(RegisterMutation)
            .where(
                RegisterMutation.decision_id == decision_id,
                RegisterMutation.status == MutationStatus.PENDING.value,
            )
            .order_by(RegisterMutation.effective_date, RegisterMutation.id)
        )
    )


async def settle(
    session: AsyncSession, ids: Sequence[int], *, status: MutationStatus, version: int
) -> None:
    """Mark pending mutations `resolved` or `cancelled` by the version that dealt with them."""
    if ids:
        await session.execute(
            update(RegisterMutation)
            .where(RegisterMutation.id.in_(ids))
            .values(status=status.value, version=version)
            .execution_options(synchronize_session=False)
        )


async def list_for_decision(session: AsyncSession, decision_id: int) -> list[RegisterMutation]:
    return list(
        await session.scalars(
            select(RegisterMutation)
            .where(RegisterMutation.decision_id == decision_id)
            .order_by(RegisterMutation.effective_date, RegisterMutation.id)
        )
    )
