"""GPs, their own data only: coverage check, pricing simulation, their invoices and payments."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from console.forms import SsinField
from console.invoice_search import InvoiceFilter, search
from console.pages import render
from console.session import CsrfChecked, Gp
from mediprima_contracts.components.coverage import CareType

router = APIRouter(prefix="/gp")

CODE = r"^\d{6}$"
GP_INVOICES = 50
CARE_TYPES = [care_type.value for care_type in CareType]


@router.get("/coverage", response_class=HTMLResponse)
async def coverage(request: Request, user: Gp) -> HTMLResponse:
    return render(request, "gp/coverage.html", care_types=CARE_TYPES, answer=None)


@router.post("/coverage", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def check_coverage(
    request: Request,
    user: Gp,
    ssin: SsinField,
    care_date: Annotated[date, Form()],
    care_type: Annotated[CareType, Form()],
) -> HTMLResponse:
    """A consultation, recorded as the GP's: it gives the agreement number to invoice with."""
    answer = await request.app.state.backends.json(
        "consultation",
        "POST",
        "/v1/consultations",
        user,
        json={"ssin": ssin, "date": care_date.isoformat(), "care_type": care_type.value},
    )
    return render(request, "gp/coverage.html", care_types=CARE_TYPES, answer=answer)


@router.get("/pricing", response_class=HTMLResponse)
async def pricing(request: Request, user: Gp) -> HTMLResponse:
    return render(request, "gp/pricing.html", answer=None)


@router.post("/pricing", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def simulate_pricing(
    request: Request,
    user: Gp,
    ssin: SsinField,
    care_date: Annotated[date, Form()],
    code: Annotated[str, Form(pattern=CODE)],
    agreement_number: Annotated[str, Form(max_length=40)] = "",
) -> HTMLResponse:
    body = {"ssin": ssin, "date": care_date.isoformat(), "lines": [{"code": code}]}
    if agreement_number.strip():
        body["agreement_number"] = agreement_number.strip()
    answer = await request.app.state.backends.json(
        "tariffing", "POST", "/v1/pricing-simulations", user, json=body
    )
    return render(request, "gp/pricing.html", answer=answer)


@router.get("/invoices", response_class=HTMLResponse)
async def invoices(request: Request, user: Gp) -> HTMLResponse:
    """The GP's newest invoices (the API answers only the caller's own)."""
    found = await search(request.app.state.backends, user, InvoiceFilter(), shown=GP_INVOICES)
    return render(request, "gp/invoices.html", result=found)


@router.get("/payments", response_class=HTMLResponse)
async def payments(request: Request, user: Gp) -> HTMLResponse:
    statement = await request.app.state.backends.json(
        "invoicing", "GET", f"/v1/providers/{user.subject}/payments", user
    )
    return render(request, "gp/payments.html", statement=statement)
