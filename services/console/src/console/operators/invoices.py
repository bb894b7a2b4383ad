"""Operators: invoice search with each line's verdict, shares and reasons; invoices per day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse

from console import charts
from console.invoice_search import InvoiceFilter, per_day, search
from console.pages import render
from console.session import CsrfChecked, Operator
from servicekit.paging import MAX_OFFSET

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
    refusal_code: Annotated[str, Query(max_length=80)] = "",
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> HTMLResponse:
    """The search form; with `status` in the query (a link to a search), its results. A person
    is searched for only through the form's POST: a NISS never goes in a URL."""
    wanted = _filter(status, submitted_from, submitted_to, provider, "", refusal_code)
    searched = "status" in request.query_params
    return await _page(request, user, wanted, offset=offset if searched else None)


@router.post("/invoices", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def search_invoices(
    request: Request,
    user: Operator,
    status: Annotated[str, Form()] = "",
    submitted_from: Annotated[str, Form(alias="from", max_length=10)] = "",
    submitted_to: Annotated[str, Form(alias="to", max_length=10)] = "",
    provider: Annotated[str, Form(max_length=11)] = "",
    ssin: Annotated[str, Form(max_length=11)] = "",
    refusal_code: Annotated[str, Form(max_length=80)] = "",
    offset: Annotated[int, Form(ge=0, le=MAX_OFFSET)] = 0,
) -> HTMLResponse:
    """The search, a page at a time (the form's page buttons post it again with an offset)."""
    wanted = _filter(status, submitted_from, submitted_to, provider, ssin, refusal_code)
    return await _page(request, user, wanted, offset=offset)


def _filter(
    status: str, submitted_from: str, submitted_to: str, provider: str, ssin: str, code: str
) -> InvoiceFilter:
    return InvoiceFilter(
        status=status if status in STATUSES else "",
        submitted_from=_day(submitted_from),
        submitted_to=_day(submitted_to),
        provider=provider.strip(),
        ssin=ssin.strip(),
        refusal_code=code.strip(),
    )


async def _page(
    request: Request, user: Operator, wanted: InvoiceFilter, *, offset: int | None
) -> HTMLResponse:
    backends = request.app.state.backends
    result = None if offset is None else await search(backends, user, wanted, offset=offset)
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
