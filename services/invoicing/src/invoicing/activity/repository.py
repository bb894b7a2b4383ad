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
    day = _utc_day(session, Invoice.submitted_at)
    rows = await session.execute(
        select(day, func.count())
        .where(Invoice.submitted_at >= since, Invoice.submitted_at < before)
        .group_by(day)
    )
    return {_date(found): count for found, count in rows}


async def paid_per_day(
    session: AsyncSession, *, since: datetime, before: datetime
) -> Mapping[date, int]:
    day = _utc_day(session, InvoicePayment.paid_at)
    rows = await session.execute(
        select(day, func.count(distinct(InvoicePayment.invoice_id)))
        .where(InvoicePayment.paid_at >= since, InvoicePayment.paid_at < before)
        .group_by(day)
    )
    return {_date(found): count for found, count in rows}


def _utc_day(session: AsyncSession, column: Any) -> ColumnElement[Any]:
    # SQLite holds the instant as UTC text; PostgreSQL's date() would take the session's zone.
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone("UTC", column))
    return func.date(column)


def _date(value: date | str) -> date:
    return value if isinstance(value, date) else date.fromisoformat(value)
