"""I-05: the operator's report of how long providers waited to be paid in a month."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.payments import repository
from invoicing.payments.rules import (
    TARGET_AVERAGE_DAYS,
    TARGET_MAX_DAYS,
    delay_figures_i05,
    over_max_seconds,
    p95_rank,
)
from invoicing.payments.schemas import PaymentDelayReport
from mediprima_contracts.values import YearMonth


async def payment_delays(session: AsyncSession, *, month: YearMonth) -> PaymentDelayReport:
    """Counted, summed and ranked by the database over the lines paid in the month (UTC)."""
    paid_from = datetime.combine(month.first_day, time.min, tzinfo=UTC)
    paid_before = datetime.combine(month.last_day + timedelta(days=1), time.min, tzinfo=UTC)
    totals = await repository.delay_totals(
        session, paid_from=paid_from, paid_before=paid_before, over_seconds=over_max_seconds()
    )
    p95 = (
        await repository.delay_at_rank(
            session, paid_from=paid_from, paid_before=paid_before, rank=p95_rank(totals.lines)
        )
        if totals.lines
        else None
    )
    figures = delay_figures_i05(
        lines=totals.lines,
        total_seconds=totals.total_seconds,
        p95_seconds=p95,
        over_max=totals.over_max,
    )
    return PaymentDelayReport(
        month=str(month),
        lines=figures.lines,
        average_days=figures.average_days,
        p95_days=figures.p95_days,
        target_average_days=TARGET_AVERAGE_DAYS,
        target_max_days=TARGET_MAX_DAYS,
        average_within_target=figures.average_within_target,
        lines_over_max=figures.lines_over_max,
    )
