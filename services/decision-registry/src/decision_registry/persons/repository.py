"""Every query on persons and their numbers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions.rules import NumberStatus
from decision_registry.persons.models import PersonNumber, PersonRecord


@dataclass(frozen=True)
class KnownNumber:
    ssin: str
    person_id: str
    status: NumberStatus
    updated_at: datetime


async def find_number(session: AsyncSession, ssin: str) -> KnownNumber | None:
    row = (
        await session.execute(
            select(
                PersonNumber.ssin,
                PersonNumber.person_id,
                PersonNumber.status,
                PersonNumber.updated_at,
            ).where(PersonNumber.ssin == ssin)
        )
    ).one_or_none()
    return None if row is None else KnownNumber(row[0], row[1], NumberStatus(row[2]), row[3])


async def numbers_of(session: AsyncSession, person_id: str) -> list[KnownNumber]:
    rows = await session.execute(
        select(
            PersonNumber.ssin, PersonNumber.person_id, PersonNumber.status, PersonNumber.updated_at
        )
        .where(PersonNumber.person_id == person_id)
        .order_by(PersonNumber.updated_at, PersonNumber.ssin)
    )
    return [KnownNumber(row[0], row[1], NumberStatus(row[2]), row[3]) for row in rows]


async def created_at(session: AsyncSession, person_id: str) -> datetime:
    found = await session.scalar(
        select(PersonRecord.created_at).where(PersonRecord.id == person_id)
    )
    assert found is not None, f"person {person_id} exists"
    return found


async def add_person(session: AsyncSession, person_id: str, *, at: datetime) -> None:
    session.add(PersonRecord(id=person_id, created_at=at, merged_into=None))
    await session.flush()


async def delete_person(session: AsyncSession, person_id: str) -> None:
    await session.execute(delete(PersonRecord).where(PersonRecord.id == person_id))


async def claim_number(
    session: AsyncSession, *, ssin: str, person_id: str, status: NumberStatus, at: datetime
) -> str:
    """Give `ssin` to `person_id` unless it is someone's already; the number's person either way.

    An insert that ignores a conflict: when two transactions claim one new number at once, the
    second waits for the first and then finds the number taken (PostgreSQL), so both go on with
    one person.
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    claimed: str | None = await session.scalar(
        insert(PersonNumber)
        .values(ssin=ssin, person_id=person_id, status=status.value, updated_at=at)
        .on_conflict_do_nothing(index_elements=["ssin"])
        .returning(PersonNumber.person_id)
    )
    if claimed is not None:
        return claimed
    owner = await session.scalar(select(PersonNumber.person_id).where(PersonNumber.ssin == ssin))
    assert owner is not None
    return owner


async def lock(session: AsyncSession, person_ids: Sequence[str]) -> None:
    """Hold the persons' rows until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite
    serialises writers anyway), always in the same order, so filings per person are serial."""
    for person_id in sorted(set(person_ids)):
        await session.execute(
            select(PersonRecord.id).where(PersonRecord.id == person_id).with_for_update()
        )


async def set_status(
    session: AsyncSession, *, ssin: str, status: NumberStatus, at: datetime
) -> None:
    await session.execute(
        update(PersonNumber)
        .where(PersonNumber.ssin == ssin)
        .values(status=status.value, updated_at=at)
        .execution_options(synchronize_session=False)
    )


async def replace_others(session: AsyncSession, *, person_id: str, keep: str, at: datetime) -> None:
    """Every other current or pending number of the person becomes replaced."""
    await session.execute(
        update(PersonNumber)
        .where(
            PersonNumber.person_id == person_id,
            PersonNumber.ssin != keep,
            PersonNumber.status.in_([NumberStatus.CURRENT.value, NumberStatus.PENDING.value]),
        )
        .values(status=NumberStatus.REPLACED.value, updated_at=at)
        .execution_options(synchronize_session=False)
    )


async def merge_records(session: AsyncSession, *, given_up: str, kept: str, at: datetime) -> None:
    """The numbers of `given_up` become `kept`'s; the record stays, marked merged."""
    await session.execute(
        update(PersonNumber)
        .where(PersonNumber.person_id == given_up)
        .values(person_id=kept, updated_at=at)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        update(PersonRecord)
        .where(PersonRecord.id == given_up)
        .values(merged_into=kept)
        .execution_options(synchronize_session=False)
    )
