from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.ledger.models import LedgerLine
from settlement.settlements.models import Settlement


async def hold_off_closing(session: AsyncSession) -> None:
    """Taken before reading which months are closed: a run or close (SHARE lock) waits for
    this booking to commit, and this booking waits for a close in progress (S-04).
    SQLite writers are serialised anyway."""
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(text("LOCK TABLE ledger_lines IN ROW EXCLUSIVE MODE"))


async def closed_months_from(session: AsyncSession, month: str) -> set[str]:
    rows = await session.scalars(
        select(Settlement.month).where(Settlement.month >= month, Settlement.status == "closed")
    )
    return set(rows)


async def book(session: AsyncSession, lines: Sequence[dict[str, Any]]) -> None:
    """Insert the lines; a line already booked under the same reference is left as it is."""
    insert = postgresql_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LedgerLine).on_conflict_do_nothing(
        index_elements=["booking_reference", "invoice_id", "line_number"]
    )
    await session.execute(statement, list(lines))
