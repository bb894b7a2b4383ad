"""Every query on decisions and their versions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions.models import Decision, DecisionVersion
from decision_registry.decisions.rules import HeldDecision
from mediprima_contracts.values import Period


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
    columns: dict[str, Any],
    at: datetime,
) -> bool:
    """Move the decision to `new_version` only if it is still at `expected_version`.

    The conditional UPDATE is the guard against concurrent changes: on PostgreSQL the second
    writer waits for the first to commit, then finds the version moved and updates nothing.
    `columns` are the decision's columns as the new version states them.
    """
    result = await session.execute(
        update(Decision)
        .where(Decision.id == decision_id, Decision.current_version == expected_version)
        .values(current_version=new_version, updated_at=at, **columns)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def get_by_number(session: AsyncSession, decision_number: str) -> Decision | None:
    return await session.scalar(
        select(Decision)
        .where(Decision.decision_number == decision_number)
        .execution_options(populate_existing=True)
    )


async def get_by_id(session: AsyncSession, decision_id: int) -> Decision | None:
    return await session.scalar(
        select(Decision).where(Decision.id == decision_id).execution_options(populate_existing=True)
    )


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
    session: AsyncSession, *, person_id: str, ocmw_enterprise_number: str | None = None
) -> list[Decision]:
    """The person's decisions, under whichever number each was filed (D-08)."""
    query = (
        select(Decision)
        .where(Decision.person_id == person_id)
        .order_by(Decision.id)
        .execution_options(populate_existing=True)
    )
    if ocmw_enterprise_number is not None:
        query = query.where(Decision.ocmw_enterprise_number == ocmw_enterprise_number)
    return list(await session.scalars(query))


async def ids_for_person(session: AsyncSession, person_id: str) -> list[int]:
    return list(
        await session.scalars(
            select(Decision.id).where(Decision.person_id == person_id).order_by(Decision.id)
        )
    )


async def move_to_person(session: AsyncSession, *, given_up: str, kept: str) -> None:
    await session.execute(
        update(Decision)
        .where(Decision.person_id == given_up)
        .values(person_id=kept)
        .execution_options(synchronize_session=False)
    )


async def held_for_person(
    session: AsyncSession, *, person_id: str, period: Period, except_id: int | None
) -> list[HeldDecision]:
    """The person's other decisions holding a day of `period` (D-14): active, suspended, or
    the days a stopped one covered (its period ends on the stop date)."""
    query = select(
        Decision.decision_number,
        Decision.ocmw_enterprise_number,
        Decision.period_start,
        Decision.period_end,
    ).where(
        Decision.person_id == person_id,
        Decision.period_start <= period.end,
        Decision.period_end >= period.start,
    )
    if except_id is not None:
        query = query.where(Decision.id != except_id)
    return [
        HeldDecision(decision_number=str(number), owner=owner, period=Period(start=start, end=end))
        for number, owner, start, end in await session.execute(query.order_by(Decision.id))
    ]
