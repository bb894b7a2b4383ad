"""Operators: start a payment run and see what it paid, provider by provider."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from console.pages import render
from console.session import CsrfChecked, Operator

router = APIRouter(prefix="/operator/payment-runs")


@router.get("", response_class=HTMLResponse)
async def payment_runs(request: Request, user: Operator) -> HTMLResponse:
    return render(request, "operators/payments.html", run=None)


@router.post("", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def start_payment_run(request: Request, user: Operator) -> HTMLResponse:
    """The run pays every accepted, unpaid line before it answers: the page shows its result."""
    run = await request.app.state.backends.json("invoicing", "POST", "/v1/payment-runs", user)
    return render(request, "operators/payments.html", run=run)
