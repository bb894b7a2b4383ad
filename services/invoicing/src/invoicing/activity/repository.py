"""Counts per UTC day, grouped by the database (a day's worth of invoices is never loaded)."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.invoices.models import Invoice
from invoicing.payments.models import InvoicePayment


async def received_per_day(
    session: AsyncSession, *, since: datetime, before: datetime
) -> Mapping[date, int]:
    return await _per_day(session, Invoice.submitted_at, func.count(), since, before)


async def paid_per_day(
    session: AsyncSession, *, since: datetime, before: datetime
) -> Mapping[date, int]:
    counted = func.count(distinct(InvoicePayment.invoice_id))
    return await _per_day(session, InvoicePayment.paid_at, counted, since, before)


async def _per_day(
    session: AsyncSession, instant: Any, counted: Any, since: datetime, before: datetime
) -> Mapping[date, int]:
    """`counted` per UTC day of `instant`, over [since, before)."""
    day = _utc_day(session, instant)
    rows = await session.execute(
        select(day, counted).where(instant >= since, instant < before).group_by(day)
    )
    return {_date(found): count for found, count in rows}


def _utc_day(session: AsyncSession, column: Any) -> ColumnElement[Any]:
    # SQLite holds the instant as UTC text; PostgreSQL's date() would take the session's zone.
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
