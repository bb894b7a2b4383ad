"""OCMW staff, their own data only: decisions and their versions, worklists, certificates and
monthly statements. The services check ownership; the console only ever asks as the user."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from console import charts
from console.backends import ServiceProblem
from console.downloads import forward
from console.forms import SsinField
from console.ocmw.statements import named_statement
from console.ocmw.versions import side_by_side
from console.pages import render
from console.session import CsrfChecked, OcmwStaff

router = APIRouter(prefix="/ocmw")

VERSIONS_SHOWN = 6
WORKLISTS = (
    "pending-mutations",
    "deaths",
    "urgent-aid-ending",
    "insurability-ending",
    "hand-overs",
)


@router.get("/decisions", response_class=HTMLResponse)
async def decisions(request: Request, user: OcmwStaff) -> HTMLResponse:
    return render(request, "ocmw/decisions.html", decisions=None, ssin="")


@router.post("/decisions", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def find_decisions(request: Request, user: OcmwStaff, ssin: SsinField) -> HTMLResponse:
    found = await _listed_for(request, user, ssin, "decision-registry", "/v1/decisions")
    return render(request, "ocmw/decisions.html", decisions=found, ssin=ssin)


@router.get("/decisions/{decision_number}", response_class=HTMLResponse)
async def decision(request: Request, user: OcmwStaff, decision_number: str) -> HTMLResponse:
    backends = request.app.state.backends
    path = f"/v1/decisions/{decision_number}"
    summaries = await backends.json("decision-registry", "GET", f"{path}/versions", user)
    shown = summaries[-VERSIONS_SHOWN:]
    versions = [
        await backends.json("decision-registry", "GET", f"{path}/versions/{item['version']}", user)
        for item in shown
    ]
    return render(
        request,
        "ocmw/decision.html",
        decision_number=decision_number,
        summaries=shown,
        rows=side_by_side(versions),
    )


@router.get("/worklists", response_class=HTMLResponse)
async def worklists(
    request: Request, user: OcmwStaff, kind: Annotated[str, Query()] = "urgent-aid-ending"
) -> HTMLResponse:
    kind = kind if kind in WORKLISTS else WORKLISTS[0]
    page = await request.app.state.backends.json(
        "decision-registry", "GET", f"/v1/worklists/{kind}", user, params={"limit": 100}
    )
    return render(request, "ocmw/worklists.html", kinds=WORKLISTS, kind=kind, page=page)


@router.get("/certificates", response_class=HTMLResponse)
async def certificates(request: Request, user: OcmwStaff) -> HTMLResponse:
    return render(request, "ocmw/certificates.html", certificates=None, ssin="")


@router.post("/certificates", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def find_certificates(request: Request, user: OcmwStaff, ssin: SsinField) -> HTMLResponse:
    found = await _listed_for(request, user, ssin, "consultation", "/v1/urgent-aid-certificates")
    return render(request, "ocmw/certificates.html", certificates=found, ssin=ssin)


@router.get("/statements", response_class=HTMLResponse)
async def statements(request: Request, user: OcmwStaff) -> HTMLResponse:
    page = await request.app.state.backends.json("settlement", "GET", "/v1/settlements", user)
    return render(request, "ocmw/statements.html", months=page["items"])


@router.get("/statements/{settlement_id}", response_class=HTMLResponse)
async def statement(request: Request, user: OcmwStaff, settlement_id: str) -> HTMLResponse:
    try:
        shown = await named_statement(request.app.state.backends, user, settlement_id)
    except ServiceProblem as problem:
        if problem.status != 404:
            raise
        shown = None
    chart = charts.shares(shown.body["totals"]) if shown else None
    return render(
        request, "ocmw/statement.html", settlement_id=settlement_id, statement=shown, chart=chart
    )


@router.get("/statements/{settlement_id}/statement.{kind}")
async def download_statement(
    request: Request, user: OcmwStaff, settlement_id: str, kind: str
) -> Response:
    path = f"/v1/settlements/{settlement_id}/ocmw/{user.subject}"
    return await forward(request, user, "settlement", path, kind)


async def _listed_for(request: Request, user: OcmwStaff, ssin: str, service: str, path: str) -> Any:
    """What `service` lists at `path` for one person, asked as the user."""
    return await request.app.state.backends.json(service, "GET", path, user, params={"ssin": ssin})
