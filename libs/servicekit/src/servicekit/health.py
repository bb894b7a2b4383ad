"""Liveness, readiness (database and bus reachable), Prometheus metrics, the AsyncAPI document of
the platform's events and, in production, the documents behind an operator's token."""

from __future__ import annotations

import structlog
from fastapi import APIRouter, FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from mediprima_contracts.asyncapi import asyncapi_document
from servicekit.auth import Role, require
from servicekit.errors import Problem, problem_response
from servicekit.outages import outage_of
from servicekit.privacy import describe_error

log = structlog.get_logger()

router = APIRouter(tags=["operations"])


@router.get("/health", summary="The process is alive")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/ready", summary="Database and event bus are reachable", response_model=None)
async def ready(request: Request) -> JSONResponse:
    failures = {}
    for name, component in (
        ("database", request.app.state.database),
        ("bus", request.app.state.bus),
    ):
        try:
            await component.ping()
        except Exception as exc:
            # The answer names the cause in a few words; addresses and the rest go to the log.
            failures[name] = outage_of(exc) or type(exc).__name__
            log.warning("ready.unreachable", component=name, error=repr(exc))
    if failures:
        detail = "; ".join(f"{name}: {error}" for name, error in failures.items())
        return problem_response(Problem(title="Not ready", status=503, detail=detail))
    return JSONResponse({"status": "ready"})


def metrics_router(*, protected: bool) -> APIRouter:
    """`/metrics`; in production only for an operator's token (Prometheus sends one)."""
    metrics_routes = APIRouter(tags=["operations"])
    dependencies = [require(Role.OPERATOR)] if protected else []

    @metrics_routes.get(
        "/metrics",
        summary="Prometheus metrics",
        include_in_schema=False,
        dependencies=dependencies,
    )
    async def metrics(request: Request) -> Response:
        for read_gauges in request.app.state.scrape_gauges:
            try:
                await read_gauges(request.app.state.database)
            except Exception as exc:  # the database is down: the other metrics still tell
                log.warning("metrics.gauges_unread", error=describe_error(exc))
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)

    return metrics_routes


def asyncapi_router(*, protected: bool) -> APIRouter:
    """`/asyncapi.json`: every topic and event version (libs/contracts/asyncapi.json), beside
    the OpenAPI document and, like it, for an operator's token only in production."""
    routes = APIRouter(tags=["operations"])
    dependencies = [require(Role.OPERATOR)] if protected else []

    @routes.get("/asyncapi.json", include_in_schema=False, dependencies=dependencies)
    async def asyncapi() -> JSONResponse:
        return JSONResponse(asyncapi_document())

    return routes


def documents_router(app: FastAPI) -> APIRouter:
    """The OpenAPI document and its page, for an operator's token only (production)."""
    documents = APIRouter(tags=["operations"], dependencies=[require(Role.OPERATOR)])

    @documents.get("/openapi.json", include_in_schema=False)
    async def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())

    @documents.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title=app.title)

    return documents
