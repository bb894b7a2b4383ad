"""Every query of a settlement run: aggregation and ordering happen in the database."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Select,
    String,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    text,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit.auth import Role
from servicekit.tenancy import Tenant
from settlement.directory.models import DecisionPerson
from settlement.ledger.models import PAID, LedgerLine
from settlement.settlements.files.names import PersonName
from settlement.settlements.models import Settlement, StatementName
from settlement.settlements.rules import SHARES, Sums

STREAM_BATCH = 5_000
T = TypeVar("T")

_SHARES_IN_CENTS = (
    type_coerce(LedgerLine.state_share, BigInteger).label("state_share"),
    type_coerce(LedgerLine.ocmw_share, BigInteger).label("ocmw_share"),
    type_coerce(LedgerLine.patient_share, BigInteger).label("patient_share"),
)
# Whom a line is for: the registry's person, the same under every number (D-08), or the
# number where no person was known.
PERSON = func.coalesce(LedgerLine.person_id, LedgerLine.ssin)
# The order of every file: one OCMW after the other, then provider, person, number, invoice,
# line (booking reference last: a line and its credit are both kept, in a fixed order).
LINE_ORDER = (
    LedgerLine.ocmw,
    LedgerLine.provider,
    PERSON,
    LedgerLine.ssin,
    LedgerLine.invoice_id,
    LedgerLine.line_number,
    LedgerLine.kind,
    LedgerLine.booking_reference,
)
# The columns of a file line, in the order layout.line_texts unpacks them.
LINE_COLUMNS = (
    LedgerLine.ocmw,
    LedgerLine.provider,
    LedgerLine.ssin,
    LedgerLine.person_id,
    LedgerLine.invoice_id,
    LedgerLine.line_number,
    LedgerLine.kind,
    LedgerLine.booking_reference,
    LedgerLine.payment_reference,
    LedgerLine.decision_number,
    LedgerLine.version,
    LedgerLine.urgent_medical_aid,
    LedgerLine.code,
    # as text on SQLite (ISO already), a date on PostgreSQL: the files print str() of either
    type_coerce(LedgerLine.date_of_care, String).label("date_of_care"),
    *_SHARES_IN_CENTS,
)


# What layout_sql's lines are made of: the line's columns as they are stored.
_FORMATTED_FROM = (
    LedgerLine.month,
    *(column for column in LINE_COLUMNS if column.key != "date_of_care"),
    LedgerLine.date_of_care,
)


async def months(session: AsyncSession, *, offset: int, limit: int) -> Sequence[Settlement]:
    """A page of settled months, newest first."""
    page = select(Settlement).order_by(Settlement.month.desc()).offset(offset).limit(limit)
    return (await session.scalars(page)).all()


async def by_month(session: AsyncSession, month: str) -> Settlement | None:
    return await session.scalar(
        select(Settlement).where(Settlement.month == month).with_for_update()
    )


async def get(
    session: AsyncSession, settlement_id: str, *, lock: bool = False
) -> Settlement | None:
    return await session.get(Settlement, settlement_id, with_for_update=lock)


async def freeze_bookings(session: AsyncSession) -> None:
    """Wait for bookings in flight and hold new ones until this run commits (see ledger)."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("LOCK TABLE ledger_lines IN SHARE MODE"))


async def alongside(
    session: AsyncSession, read: Callable[[AsyncSession], Awaitable[T]]
) -> Awaitable[T]:
    """`read` started on a connection of its own, to run while the session streams; where the
    database has one writer and one connection (SQLite), done first on the session itself.
    PostgreSQL's reads see the run's ledger: freeze_bookings holds every booking off."""
    if session.get_bind().dialect.name != "postgresql":
        done: asyncio.Future[T] = asyncio.get_running_loop().create_future()
        done.set_result(await read(session))
        return done

    async def on_own_connection() -> T:
        async with AsyncSession(session.bind) as own:
            return await read(own)

    return asyncio.create_task(on_own_connection())


async def ledger_watermark(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.coalesce(func.max(LedgerLine.id), 0))) or 0)


def _month_lines(month: str, watermark: int) -> list[ColumnElement[bool]]:
    return [LedgerLine.month == month, LedgerLine.id <= watermark]


OWNERS = {Role.OCMW: LedgerLine.ocmw}
"""A ledger line is its OCMW's (S-02); the run and the funder's file read every line
(`tenancy.SERVICE`)."""


def _readable_lines(month: str, watermark: int, tenant: Tenant) -> list[ColumnElement[bool]]:
    """The month's lines up to the watermark that `tenant` may read."""
    conditions = _month_lines(month, watermark)
    if (owned := tenant.owns(OWNERS)) is not None:
        conditions.append(owned)
    return conditions


def _sums_columns() -> tuple[Any, ...]:
    return (
        func.coalesce(func.sum(_SHARES_IN_CENTS[0]), 0),
        func.coalesce(func.sum(_SHARES_IN_CENTS[1]), 0),
        func.coalesce(func.sum(_SHARES_IN_CENTS[2]), 0),
        func.count(),
        func.count(func.distinct(LedgerLine.invoice_id)),
    )


def _sums(row: Sequence[Any]) -> Sums:
    return Sums(*(int(value) for value in row))


async def month_sums(session: AsyncSession, month: str, watermark: int) -> Sums:
    """S-04: the ledger's total for the month."""
    row = (
        await session.execute(select(*_sums_columns()).where(*_month_lines(month, watermark)))
    ).one()
    return _sums(row)


async def sums_per(
    session: AsyncSession, month: str, watermark: int, *keys: Any, tenant: Tenant
) -> list[tuple[tuple[str, ...], Sums]]:
    """The month's sums grouped by `keys` (e.g. OCMW, or OCMW and provider), in key order."""
    conditions = _readable_lines(month, watermark, tenant)
    rows = await session.execute(
        select(*keys, *_sums_columns()).where(*conditions).group_by(*keys).order_by(*keys)
    )
    width = len(keys)
    return [(tuple(row[:width]), _sums(row[width:])) for row in rows]


async def person_sums(
    session: AsyncSession, month: str, watermark: int, *, tenant: Tenant
) -> list[tuple[str, str, str | None, Sums]]:
    """(OCMW, person key, person id, sums) per person of the month, whatever numbers the
    person's lines were booked under, in key order."""
    conditions = _readable_lines(month, watermark, tenant)
    keys = (LedgerLine.ocmw, PERSON)
    rows = await session.execute(
        select(*keys, func.max(LedgerLine.person_id), *_sums_columns())
        .where(*conditions)
        .group_by(*keys)
        .order_by(*keys)
    )
    return [(row[0], row[1], row[2], _sums(row[3:])) for row in rows]


async def latest_numbers(
    session: AsyncSession, month: str, watermark: int, *, tenant: Tenant
) -> dict[tuple[str, str], tuple[str, str]]:
    """By (OCMW, person key): the SSIN the person's latest payment of the month was booked
    under (a credit only counts where the month holds no payment of theirs), and the decision
    it was paid under; ties go to the later booking."""
    conditions = _readable_lines(month, watermark, tenant)
    rank = func.row_number().over(
        partition_by=(LedgerLine.ocmw, PERSON),
        order_by=(
            case((LedgerLine.kind == PAID, 0), else_=1),
            LedgerLine.booked_at.desc(),
            LedgerLine.id.desc(),
        ),
    )
    ranked = (
        select(
            LedgerLine.ocmw,
            PERSON.label("person"),
            LedgerLine.ssin,
            LedgerLine.decision_number,
            rank.label("rank"),
        )
        .where(*conditions)
        .subquery()
    )
    rows = await session.execute(
        select(ranked.c.ocmw, ranked.c.person, ranked.c.ssin, ranked.c.decision_number).where(
            ranked.c.rank == 1
        )
    )
    return {(number, person): (ssin, decision) for number, person, ssin, decision in rows}


NAME_OWNERS = {Role.OCMW: StatementName.ocmw}
"""A frozen name is its OCMW's (S-02): a statement reads its own OCMW's names only."""


async def freeze_names(
    session: AsyncSession, settlement_id: str, month: str, watermark: int
) -> None:
    """The names the month's statements show, as the decisions seen so far give them, in place
    of those an earlier run of the month froze. Only a decision's own OCMW's lines take its
    name."""
    await session.execute(delete(StatementName).where(StatementName.settlement_id == settlement_id))
    numbers = (
        select(LedgerLine.ocmw, LedgerLine.decision_number)
        .where(*_month_lines(month, watermark))
        .distinct()
        .subquery()
    )
    named = select(
        literal(settlement_id, String),
        DecisionPerson.ocmw,
        DecisionPerson.decision_number,
        DecisionPerson.last_name,
        DecisionPerson.first_name,
    ).join(
        numbers,
        (numbers.c.ocmw == DecisionPerson.ocmw)
        & (numbers.c.decision_number == DecisionPerson.decision_number),
    )
    await session.execute(
        insert(StatementName).from_select(
            ["settlement_id", "ocmw", "decision_number", "last_name", "first_name"], named
        )
    )


async def frozen_names(
    session: AsyncSession, settlement_id: str, *, tenant: Tenant
) -> dict[str, dict[str, PersonName]]:
    """By OCMW, then decision number: the names the month's last run froze that `tenant` may
    read."""
    conditions = [StatementName.settlement_id == settlement_id]
    if (owned := tenant.owns(NAME_OWNERS)) is not None:
        conditions.append(owned)
    query = select(
        StatementName.ocmw,
        StatementName.decision_number,
        StatementName.last_name,
        StatementName.first_name,
    ).where(*conditions)
    names: dict[str, dict[str, PersonName]] = {}
    for ocmw, number, last_name, first_name in await session.execute(query):
        names.setdefault(ocmw, {})[number] = PersonName(last_name, first_name)
    return names


def formatted_lines(
    month: str,
    watermark: int,
    parts: Sequence[ColumnElement[str]],
    csv_line: ColumnElement[str],
    json_line: ColumnElement[str],
    *,
    tenant: Tenant,
) -> Select[str, str, int, int, int, str, str, str]:
    """The month's lines in file order as the files write them, with what a tally needs: OCMW,
    invoice, the three shares in cents, then the line in CSV and in JSON, and the decision
    number (which names the person on a statement). `parts` are the texts
    both lines share, made once per line for both."""
    conditions = _readable_lines(month, watermark, tenant)
    # Sorted first, formatted after: formatted in the same query, the long texts would go
    # through the sort with every line. OFFSET 0 keeps the planner from merging the two;
    # the outer ORDER BY is the subquery's own order, so it costs no sort.
    ordered = (
        select(*_FORMATTED_FROM, PERSON.label("person"), *parts)
        .where(*conditions)
        .order_by(*LINE_ORDER)
        .offset(0)
        .subquery("ordered")
    )
    columns = ordered.c
    return (
        select(
            columns.ocmw,
            columns.invoice_id,
            *(type_coerce(columns[share], BigInteger) for share in SHARES),
            csv_line,
            json_line,
            columns.decision_number,
        )
        .select_from(ordered)
        .order_by(
            columns.ocmw, columns.provider, columns.person, columns.ssin, columns.invoice_id,
            columns.line_number, columns.kind, columns.booking_reference,
        )
    )  # fmt: skip


async def stream_lines(
    session: AsyncSession, month: str, watermark: int, *, tenant: Tenant
) -> AsyncIterator[Sequence[Any]]:
    """The month's lines in file order, a batch at a time, never all in memory."""
    conditions = _readable_lines(month, watermark, tenant)
    connection = await session.connection()  # Core rows: no ORM bookkeeping per line
    result = await connection.stream(
        select(*LINE_COLUMNS).where(*conditions).order_by(*LINE_ORDER),
        execution_options={"yield_per": STREAM_BATCH},
    )
    async for batch in result.partitions(STREAM_BATCH):
        yield batch
