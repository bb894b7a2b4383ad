"""D-05's late notices to the funder: kept when an invoice is priced, listed for operators."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from mediprima_contracts.components import InvoiceLine
from tariffing.notices import repository
from tariffing.notices.repository import NoticeQuery
from tariffing.notices.schemas import FunderNoticePage, FunderNoticeView
from tariffing.pricing.rules import LinePrice


async def keep_late_notices(
    session: AsyncSession,
    *,
    invoice_id: str,
    provider: str,
    ssin: str,
    lines: Sequence[InvoiceLine],
    prices: Sequence[LinePrice],
) -> None:
    """Accepted lines whose care the funder learns of more than 45 days after it."""
    now = datetime.now(UTC)
    await repository.add_all(
        session,
        [
            {
                "invoice_id": invoice_id,
                "line_number": line.line_number,
                "provider": provider,
                "ssin": ssin,
                "date_of_care": line.date_of_care,
                "decision_number": price.decision.decision_number,
                "version": price.decision.version,
                "decision_date": price.decision.decision_date,
                "ocmw": price.ocmw.enterprise_number,
                "days_after_care": (price.decision.decision_date - line.date_of_care).days,
                "recorded_at": now,
            }
            for line, price in zip(lines, prices, strict=True)
            if price.accepted and price.late_funder_notice and price.decision and price.ocmw
        ],
    )


async def notices(
    session: AsyncSession, *, query: NoticeQuery, limit: int, offset: int
) -> FunderNoticePage:
    rows, total = await repository.page(session, query, limit=limit, offset=offset)
    return FunderNoticePage(
        items=[FunderNoticeView.of(row) for row in rows], total=total, limit=limit, offset=offset
    )
