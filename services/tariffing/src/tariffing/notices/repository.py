from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from servicekit import statements
from servicekit.db import table_of
from tariffing.notices.models import FunderNotice

_KEEP = insert(table_of(FunderNotice))


@dataclass(frozen=True)
class NoticeQuery:
    """Filters of the funder's list; days of care, both included."""

    ocmw: str | None
    care_from: date | None
    care_to: date | None


async def add_all(session: AsyncSession, notices: Sequence[Mapping[str, Any]]) -> None:
    """Notices as rows of `FunderNotice`'s columns."""
    if notices:
        await statements.run(session, _KEEP, list(notices))


async def page(
    session: AsyncSession, query: NoticeQuery, *, limit: int, offset: int
) -> tuple[list[FunderNotice], int]:
    conditions: list[ColumnElement[bool]] = []
    if query.ocmw is not None:
        conditions.append(FunderNotice.ocmw == query.ocmw)
    if query.care_from is not None:
        conditions.append(FunderNotice.date_of_care >= query.care_from)
    if query.care_to is not None:
        conditions.append(FunderNotice.date_of_care <= query.care_to)
    matching = select(FunderNotice).where(*conditions)
    total = await session.scalar(select(func.count()).select_from(matching.subquery()))
    rows = await session.scalars(
        matching.order_by(
            FunderNotice.date_of_care, FunderNotice.invoice_id, FunderNotice.line_number
        )
        .limit(limit)
        .offset(offset)
    )
    return list(rows), int(total or 0)
