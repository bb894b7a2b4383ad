"""Operators: each service's readiness, outbox backlog, consumer lag and dead letters waiting."""

from __future__ import annotations

import asyncio
from contextlib import suppress
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from console.backends import Backends, ServiceProblem
from console.pages import render
from console.session import Operator, User

router = APIRouter(prefix="/operator/health")


@dataclass(frozen=True)
class ServiceHealth:
    service: str
    ready: bool
    status: dict[str, Any] | None
    """`GET /v1/operations/status`, or None when the service did not give it."""

    @property
    def dead_letters_waiting(self) -> int:
        return sum(self.status["dead_letters_waiting"].values()) if self.status else 0


async def _health(backends: Backends, service: str, user: User) -> ServiceHealth:
    ready, status = False, None
    with suppress(ServiceProblem, httpx.TransportError):
        await backends.call(service, "GET", "/ready", user)
        ready = True
    with suppress(ServiceProblem, httpx.TransportError):
        status = await backends.json(service, "GET", "/v1/operations/status", user)
    return ServiceHealth(service=service, ready=ready, status=status)


@router.get("", response_class=HTMLResponse)
async def health(request: Request, user: Operator) -> HTMLResponse:
    """Every service at once: one that does not answer is shown so, not an error page."""
    return render(request, "operators/health.html", services=await _every_service(request, user))


@router.get("/tables", response_class=HTMLResponse)
async def health_tables(request: Request, user: Operator) -> HTMLResponse:
    """The page's tables alone, as the page asks for them every 10 seconds."""
    services = await _every_service(request, user)
    return render(request, "operators/health_tables.html", services=services)


async def _every_service(request: Request, user: User) -> list[ServiceHealth]:
    backends: Backends = request.app.state.backends
    return list(
        await asyncio.gather(*(_health(backends, name, user) for name in backends.services))
    )
