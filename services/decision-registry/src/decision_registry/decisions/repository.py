"""Every query on decisions and their versions.

The hot statements (filing, changing, reading the current version) are SQLAlchemy Core,
built once at import: no ORM unit of work, no statement built per request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from decision_registry.decisions.models import Decision, DecisionVersion
from decision_registry.decisions.rules import HeldDecision
from decision_registry.persons.models import PersonRecord
from mediprima_contracts.values import Period
from servicekit import statements
from servicekit.db import table_of

_decisions = table_of(Decision)
_versions = table_of(DecisionVersion)
_persons = table_of(PersonRecord)


@dataclass
class DecisionRef:
    """What a change needs of the decision row; `person_id` follows a take-over (D-08)."""

    id: int
    decision_number: str
    ocmw_enterprise_number: str
    person_id: str


@dataclass(frozen=True)
class StoredVersion:
    """One stored version: the published snapshot, its D-12 policy and the OCMW's reason."""

    version: int
    snapshot: dict[str, Any]
    refund_policy_version: str | None
    reason: str | None


_STORED_COLUMNS = (
    _versions.c.version,
    _versions.c.snapshot,
    _versions.c.refund_policy_version,
    _versions.c.reason,
)

_CURRENT = (
    select(
        _decisions.c.id,
        _decisions.c.decision_number,
        _decisions.c.ocmw_enterprise_number,
        _decisions.c.person_id,
        *_STORED_COLUMNS,
    )
    .join(
        _versions,
        (_versions.c.decision_id == _decisions.c.id)
        & (_versions.c.version == _decisions.c.current_version),
    )
    .where(_decisions.c.decision_number == bindparam("decision_number"))
)
_CURRENT_LOCKING_PERSON = _CURRENT.join(
    _persons, _persons.c.id == _decisions.c.person_id
).with_for_update(of=_persons)
_ONE_VERSION = select(*_STORED_COLUMNS).where(
    _versions.c.decision_id == bindparam("decision_id"),
    _versions.c.version == bindparam("version"),
)
_ALL_VERSIONS = (
    select(*_STORED_COLUMNS)
    .where(_versions.c.decision_id == bindparam("decision_id"))
    .order_by(_versions.c.version)
)
_ADD_DECISION = insert(_decisions).returning(_decisions.c.id)
_ADD_VERSION = insert(_versions)
# Core UPDATEs without values(): the SET clause is the parameters' column keys.
_STATE_FIRST = update(_decisions).where(_decisions.c.id == bindparam("b_id"))
_ADVANCE = update(_decisions).where(
    _decisions.c.id == bindparam("b_id"),
    _decisions.c.current_version == bindparam("b_expected"),
)
_HELD = (
    select(
        _decisions.c.decision_number,
        _decisions.c.ocmw_enterprise_number,
        _decisions.c.period_start,
        _decisions.c.period_end,
    )
    .where(
        _decisions.c.person_id == bindparam("person_id"),
        _decisions.c.period_start <= bindparam("period_end"),
        _decisions.c.period_end >= bindparam("period_start"),
        # -1: no decision has that id, so a new filing excepts none.
        _decisions.c.id != bindparam("except_id"),
    )
    .order_by(_decisions.c.id)
)


async def get_current(
    session: AsyncSession, decision_number: str, *, lock_person: bool = False
) -> tuple[DecisionRef, StoredVersion] | None:
    """The decision and its current version, in one query; with `lock_person`, its person's
    row is held until the transaction ends, as `persons.lock_person` holds it."""
    query = _CURRENT_LOCKING_PERSON if lock_person else _CURRENT
    row = (await session.execute(query, {"decision_number": decision_number})).one_or_none()
    if row is None:
        return None
    return (
        DecisionRef(
            id=row.id,
            decision_number=row.decision_number,
            ocmw_enterprise_number=row.ocmw_enterprise_number,
            person_id=row.person_id,
        ),
        _stored(row),
    )


async def add_decision(session: AsyncSession, columns: dict[str, Any]) -> int:
    """Insert the decision row; its id, which the database hands out once and never again."""
    decision_id: int = (await statements.run(session, _ADD_DECISION, columns)).scalar_one()
    return decision_id


async def add_version(session: AsyncSession, row: dict[str, Any]) -> None:
    await statements.run(session, _ADD_VERSION, row)


async def state_first_version(
    session: AsyncSession, *, decision_id: int, decision_number: str, columns: dict[str, Any]
) -> None:
    """The number, and the columns as version 1 states them."""
    await statements.run(
        session, _STATE_FIRST, {**columns, "decision_number": decision_number, "b_id": decision_id}
    )


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
    result = await statements.run(
        session,
        _ADVANCE,
        {
            **columns,
            "current_version": new_version,
            "updated_at": at,
            "b_id": decision_id,
            "b_expected": expected_version,
        },
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
) -> StoredVersion | None:
    row = (
        await statements.run(
            session, _ONE_VERSION, {"decision_id": decision_id, "version": version}
        )
    ).one_or_none()
    return None if row is None else _stored(row)


async def list_versions(session: AsyncSession, decision_id: int) -> list[StoredVersion]:
    rows = await statements.run(session, _ALL_VERSIONS, {"decision_id": decision_id})
    return [_stored(row) for row in rows]


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
    rows = await statements.run(
        session,
        _HELD,
        {
            "person_id": person_id,
            "period_start": period.start,
            "period_end": period.end,
            "except_id": -1 if except_id is None else except_id,
        },
    )
    return [
        HeldDecision(decision_number=str(number), owner=owner, period=Period(start=start, end=end))
        for number, owner, start, end in rows
    ]


def _stored(row: Any) -> StoredVersion:
    return StoredVersion(
        version=row.version,
        snapshot=row.snapshot,
        refund_policy_version=row.refund_policy_version,
        reason=row.reason,
    )
