"""Operators: invoice search with each line's verdict, shares and reasons; invoices per day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from console import charts
from console.invoice_search import InvoiceFilter, per_day, search
from console.pages import render
from console.session import Operator

router = APIRouter(prefix="/operator")

STATUSES = ("received", "accepted", "partially_accepted", "rejected", "paid")
CHART_DAYS = 14


@router.get("/invoices", response_class=HTMLResponse)
async def invoices(
    request: Request,
    user: Operator,
    status: Annotated[str, Query()] = "",
    submitted_from: Annotated[str, Query(alias="from", max_length=10)] = "",
    submitted_to: Annotated[str, Query(alias="to", max_length=10)] = "",
    provider: Annotated[str, Query(max_length=11)] = "",
    ssin: Annotated[str, Query(max_length=11)] = "",
    refusal_code: Annotated[str, Query(max_length=80)] = "",
) -> HTMLResponse:
    wanted = InvoiceFilter(
        status=status if status in STATUSES else "",
        submitted_from=_day(submitted_from),
        submitted_to=_day(submitted_to),
        provider=provider.strip(),
        ssin=ssin.strip(),
        refusal_code=refusal_code.strip(),
    )
    searched = "status" in request.query_params
    result = await search(request.app.state.backends, user, wanted) if searched else None
    return render(
        request, "operators/invoices.html", wanted=wanted, statuses=STATUSES, result=result
    )


@router.get("/activity", response_class=HTMLResponse)
async def activity(request: Request, user: Operator) -> HTMLResponse:
    today = datetime.now(UTC).date()
    days = await per_day(request.app.state.backends, user, today=today, days=CHART_DAYS)
    return render(request, "operators/activity.html", days=days, svg=charts.bars(days))


def _day(text: str) -> date | None:
    """A date field left empty (or not a date) filters nothing."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
