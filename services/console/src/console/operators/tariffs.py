"""Operators: upload a tariff file; see what was imported, or every rejected row."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse

from console.backends import ServiceProblem
from console.pages import render
from console.session import CsrfChecked, Operator

router = APIRouter(prefix="/operator/tariff-imports")
MAX_FILE_BYTES = 5 * 1024 * 1024


@router.get("", response_class=HTMLResponse)
async def tariff_imports(request: Request, user: Operator) -> HTMLResponse:
    return render(request, "operators/tariffs.html", report=None, rejected=None)


@router.post("", response_class=HTMLResponse, dependencies=[CsrfChecked])
async def upload(
    request: Request, user: Operator, tariff_file: Annotated[UploadFile, File()]
) -> HTMLResponse:
    body = await tariff_file.read(MAX_FILE_BYTES + 1)
    if len(body) > MAX_FILE_BYTES:
        return render(
            request,
            "operators/tariffs.html",
            413,
            report=None,
            rejected=None,
            problem="The file is larger than 5 MB.",
        )
    try:
        report = await request.app.state.backends.json(
            "tariffing",
            "POST",
            "/v1/tariff-imports",
            user,
            content=body,
            headers={"Content-Type": "text/csv"},
        )
    except ServiceProblem as refused:
        return render(request, "operators/tariffs.html", 422, report=None, rejected=refused)
    return render(request, "operators/tariffs.html", report=report, rejected=None)
