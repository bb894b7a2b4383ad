"""Every query on persons and their numbers; those a filing runs are Core, built once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions.rules import NumberStatus
from decision_registry.persons.models import PersonNumber, PersonRecord
from servicekit import statements
from servicekit.db import table_of


@dataclass(frozen=True)
class KnownNumber:
    ssin: str
    person_id: str
    status: NumberStatus
    updated_at: datetime


_persons = table_of(PersonRecord)
_numbers = table_of(PersonNumber)
_NUMBER_COLUMNS = (_numbers.c.ssin, _numbers.c.person_id, _numbers.c.status, _numbers.c.updated_at)
_FIND = select(*_NUMBER_COLUMNS).where(_numbers.c.ssin == bindparam("ssin"))
_FIND_AND_LOCK = (
    select(*_NUMBER_COLUMNS)
    .join(_persons, _persons.c.id == _numbers.c.person_id)
    .where(_numbers.c.ssin == bindparam("ssin"))
    .with_for_update(of=_persons)
)
_NUMBERS_OF = (
    select(*_NUMBER_COLUMNS)
    .where(_numbers.c.person_id == bindparam("person_id"))
    .order_by(_numbers.c.updated_at, _numbers.c.ssin)
)
_OWNER = select(_numbers.c.person_id).where(_numbers.c.ssin == bindparam("ssin"))
_ADD_PERSON = insert(_persons)
_LOCK = select(_persons.c.id).where(_persons.c.id == bindparam("person_id")).with_for_update()


async def find_number(session: AsyncSession, ssin: str) -> KnownNumber | None:
    row = (await statements.run(session, _FIND, {"ssin": ssin})).one_or_none()
    return None if row is None else _known(row)


async def find_number_and_lock(session: AsyncSession, ssin: str) -> KnownNumber | None:
    """`find_number`, holding its person's row until the transaction ends, as `lock` does."""
    row = (await statements.run(session, _FIND_AND_LOCK, {"ssin": ssin})).one_or_none()
    return None if row is None else _known(row)


async def numbers_of(session: AsyncSession, person_id: str) -> list[KnownNumber]:
    rows = await statements.run(session, _NUMBERS_OF, {"person_id": person_id})
    return [_known(row) for row in rows]


def _known(row: Any) -> KnownNumber:
    return KnownNumber(row[0], row[1], NumberStatus(row[2]), row[3])


async def created_at(session: AsyncSession, person_id: str) -> datetime:
    found = await session.scalar(
        select(PersonRecord.created_at).where(PersonRecord.id == person_id)
    )
    assert found is not None, f"person {person_id} exists"
    return found


async def add_person(session: AsyncSession, person_id: str, *, at: datetime) -> None:
    await statements.run(
        session, _ADD_PERSON, {"id": person_id, "created_at": at, "merged_into": None}
    )


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
    claimed: str | None = await session.scalar(
        _claim_for(session.get_bind().dialect.name),
        {"ssin": ssin, "person_id": person_id, "status": status.value, "updated_at": at},
    )
    if claimed is not None:
        return claimed
    owner: str | None = (await statements.run(session, _OWNER, {"ssin": ssin})).scalar()
    assert owner is not None
    return owner


@cache
def _claim_for(dialect: str) -> Any:
    insert_for = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (
        insert_for(_numbers)
        .on_conflict_do_nothing(index_elements=["ssin"])
        .returning(_numbers.c.person_id)
    )


async def lock(session: AsyncSession, person_ids: Sequence[str]) -> None:
    """Hold the persons' rows until the transaction ends (PostgreSQL `FOR UPDATE`; SQLite
    serialises writers anyway), always in the same order, so filings per person are serial."""
    for person_id in sorted(set(person_ids)):
        await statements.run(session, _LOCK, {"person_id": person_id})


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
