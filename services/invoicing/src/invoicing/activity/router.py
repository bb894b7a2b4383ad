from datetime import UTC, datetime, time, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from invoicing.activity import repository
from invoicing.activity.schemas import ActivityDay, InvoiceActivity
from mediprima_contracts.values import BoundedDate
from servicekit.auth import Principal, Role, require
from servicekit.errors import Unprocessable
from servicekit.http import DbReadSession

router = APIRouter(tags=["invoices"])

Operator = Annotated[Principal, require(Role.OPERATOR)]
MAX_DAYS = 366


@router.get("/v1/invoice-activity", response_model=InvoiceActivity)
async def invoice_activity(
    session: DbReadSession,
    caller: Operator,
    first_day: Annotated[BoundedDate, Query(alias="from", examples=["2026-11-01"])],
    last_day: Annotated[BoundedDate, Query(alias="to", examples=["2026-11-30"])],
) -> InvoiceActivity:
    """Invoices received and invoices paid on each day (UTC) from `from` to `to`, both
    included, at most 366 days: what the console's chart of the payer's work draws."""
    if last_day < first_day or (last_day - first_day).days >= MAX_DAYS:
        raise Unprocessable.for_rule(
            "API-01",
            "activity.range",
            f"`to` must be on or after `from`, at most {MAX_DAYS} days in all",
            field="to",
        )
    since = datetime.combine(first_day, time.min, tzinfo=UTC)
    before = datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=UTC)
    received = await repository.received_per_day(session, since=since, before=before)
    paid = await repository.paid_per_day(session, since=since, before=before)
    days = [first_day + timedelta(days=n) for n in range((last_day - first_day).days + 1)]
    return InvoiceActivity(
        first_day=first_day,
        last_day=last_day,
        days=[
            ActivityDay(day=day, received=received.get(day, 0), paid=paid.get(day, 0))
            for day in days
        ],
    )
