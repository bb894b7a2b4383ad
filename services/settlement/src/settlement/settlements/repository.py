from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from settlement.ledger.models import LedgerLine
from settlement.settlements.models import Settlement


async def by_month(session: AsyncSession, month: str) -> Settlement | None:
    return await session.scalar(
        select(Settlement).where(Settlement.month == month).with_for_update()
    )


async def get(session: AsyncSession, settlement_id: str) -> Settlement | None:
    return await session.get(Settlement, settlement_id)


async def totals_per_ocmw(session: AsyncSession, month: str) -> list[dict[str, object]]:
    """S-02/S-04: the month's sums per OCMW, aggregated by the database."""
    rows = await session.execute(
        select(
            LedgerLine.ocmw,
            func.sum(LedgerLine.state_share).label("state_share"),
            func.sum(LedgerLine.ocmw_share).label("ocmw_share"),
            func.sum(LedgerLine.patient_share).label("patient_share"),
            func.count().label("lines"),
            func.count(func.distinct(LedgerLine.invoice_id)).label("invoices"),
        )
        .where(LedgerLine.month == month)
        .group_by(LedgerLine.ocmw)
        .order_by(LedgerLine.ocmw)
    )
    return [dict(row._mapping) for row in rows]
