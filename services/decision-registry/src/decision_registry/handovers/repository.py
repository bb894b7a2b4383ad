"""Every query on hand-overs."""

from __future__ import annotations

from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions.models import Decision
from decision_registry.decisions.rules import HandOverStatus
from decision_registry.handovers.models import HandOver
from decision_registry.handovers.schemas import HandOverFilter


async def add(session: AsyncSession, hand_over: HandOver) -> HandOver:
    session.add(hand_over)
    await session.flush()
    return hand_over


async def get(
    session: AsyncSession, hand_over_id: str, *, lock: bool = False
) -> tuple[HandOver, str] | None:
    """The hand-over and its decision's number; `lock` holds it until the transaction ends, so
    that two answers to one hand-over run one after the other."""
    query = (
        select(HandOver, Decision.decision_number)
        .join(Decision, Decision.id == HandOver.decision_id)
        .where(HandOver.id == hand_over_id)
        .execution_options(populate_existing=True)
    )
    if lock:
        query = query.with_for_update(of=HandOver)
    row = (await session.execute(query)).one_or_none()
    return None if row is None else (row[0], str(row[1]))


async def pending_for_decision(session: AsyncSession, decision_id: int) -> HandOver | None:
    return await session.scalar(
        select(HandOver).where(
            HandOver.decision_id == decision_id, HandOver.status == HandOverStatus.PENDING.value
        )
    )


def in_conflict(today: date) -> ColumnElement[bool]:
    """D-14 in SQL: refused, or pending after its deadline (as `rules.in_conflict_d14`)."""
    return or_(
        HandOver.status == HandOverStatus.REFUSED.value,
        and_(HandOver.status == HandOverStatus.PENDING.value, HandOver.deadline < today),
    )


async def page(
    session: AsyncSession,
    *,
    party: str | None,
    status: HandOverFilter | None,
    today: date,
    limit: int,
    offset: int,
) -> tuple[list[tuple[HandOver, str]], int]:
    """One page of the hand-overs `party` sent or received (all for None), and their count."""
    conditions: list[ColumnElement[bool]] = []
    if party is not None:
        conditions.append(
            or_(HandOver.from_enterprise_number == party, HandOver.to_enterprise_number == party)
        )
    if status is HandOverFilter.CONFLICT:
        conditions.append(in_conflict(today))
    elif status is not None:
        conditions.append(HandOver.status == status.value)
    total = await session.scalar(select(func.count(HandOver.id)).where(*conditions))
    rows = await session.execute(
        select(HandOver, Decision.decision_number)
        .join(Decision, Decision.id == HandOver.decision_id)
        .where(*conditions)
        .order_by(HandOver.deadline, HandOver.requested_at, HandOver.id)
        .limit(limit)
        .offset(offset)
    )
    return [(row[0], str(row[1])) for row in rows], int(total or 0)
