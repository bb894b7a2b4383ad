"""Reading payment runs: the list, newest first, and one run with what it paid."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from invoicing.invoices.statuses import PaymentRunStatus
from invoicing.payments import repository
from invoicing.payments.schemas import PaymentRunPage, PaymentRunView
from invoicing.payments.views import run_summary, run_view
from servicekit.errors import NotFound


async def list_runs(
    session: AsyncSession, *, status: PaymentRunStatus | None, offset: int, limit: int
) -> PaymentRunPage:
    found = await repository.runs_page(session, status=status, offset=offset, limit=limit + 1)
    return PaymentRunPage(
        items=[run_summary(run) for run in found[:limit]],
        next_offset=offset + limit if len(found) > limit else None,
    )


async def get_run(session: AsyncSession, *, run_id: str) -> PaymentRunView:
    run = await repository.run(session, run_id)
    if run is None:
        raise NotFound.for_rule(
            "I-05", "payment_run.not_found", f"Payment run {run_id} not found", field=None
        )
    return await run_view(session, run)
