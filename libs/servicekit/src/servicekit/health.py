"""Liveness, readiness (database and bus reachable) and Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from servicekit.errors import Problem, problem_response

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
            failures[name] = repr(exc)
    if failures:
        detail = "; ".join(f"{name}: {error}" for name, error in failures.items())
        return problem_response(Problem(title="Not ready", status=503, detail=detail))
    return JSONResponse({"status": "ready"})


@router.get("/metrics", summary="Prometheus metrics", include_in_schema=False)
async def metrics() -> Response:
    return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
