"""Operators: settlement months: list, run, totals per OCMW, downloads, close."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from console.downloads import forward
from console.pages import render
from console.session import CsrfChecked, Operator

router = APIRouter(prefix="/operator/settlements")
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


@router.get("", response_class=HTMLResponse)
async def months(request: Request, user: Operator) -> HTMLResponse:
    page = await request.app.state.backends.json("settlement", "GET", "/v1/settlements", user)
    return render(request, "operators/settlements.html", months=page["items"])


@router.post("", dependencies=[CsrfChecked])
async def run_month(
    request: Request, user: Operator, month: Annotated[str, Form(pattern=MONTH)]
) -> Response:
    started = await request.app.state.backends.json(
        "settlement", "POST", "/v1/settlements", user, json={"month": month}
    )
    return RedirectResponse(f"/operator/settlements/{started['settlement_id']}", status_code=303)


@router.get("/{settlement_id}", response_class=HTMLResponse)
async def settlement(request: Request, user: Operator, settlement_id: str) -> HTMLResponse:
    view = await request.app.state.backends.json(
        "settlement", "GET", f"/v1/settlements/{settlement_id}", user
    )
    return render(request, "operators/settlement.html", settlement=view)


@router.post("/{settlement_id}/close", dependencies=[CsrfChecked])
async def close(
    request: Request,
    user: Operator,
    settlement_id: str,
    confirmed: Annotated[bool, Form()] = False,
) -> Response:
    """Closing is for good: the form's confirmation box must be ticked."""
    if not confirmed:
        view = await request.app.state.backends.json(
            "settlement", "GET", f"/v1/settlements/{settlement_id}", user
        )
        return render(
            request,
            "operators/settlement.html",
            422,
            settlement=view,
            problem="Tick the box to confirm closing the month.",
        )
    await request.app.state.backends.call(
        "settlement", "POST", f"/v1/settlements/{settlement_id}/close", user
    )
    return RedirectResponse(f"/operator/settlements/{settlement_id}", status_code=303)


@router.get("/{settlement_id}/funder-file.{kind}")
async def funder_file(request: Request, user: Operator, settlement_id: str, kind: str) -> Response:
    return await forward(
        request, user, "settlement", f"/v1/settlements/{settlement_id}/funder-file", kind
    )


@router.get("/{settlement_id}/ocmw/{enterprise_number}.{kind}")
async def ocmw_statement(
    request: Request, user: Operator, settlement_id: str, enterprise_number: str, kind: str
) -> Response:
    path = f"/v1/settlements/{settlement_id}/ocmw/{enterprise_number}"
    return await forward(request, user, "settlement", path, kind)
