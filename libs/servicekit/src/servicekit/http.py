"""HTTP edge pieces: correlation-id middleware, the request's transaction, outbound clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from typing import Annotated

import httpx
import structlog
from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from servicekit import correlation
from servicekit.auth import Principal, authenticated
from servicekit.errors import NotAcceptable
from servicekit.tenancy import Tenant


class CorrelationMiddleware:
    """Binds the caller's X-Correlation-ID (or a new one) to logs and echoes it back."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(correlation.HEADER.lower().encode())
        correlation_id = correlation.accept_or_new(incoming.decode() if incoming else None)
        structlog.contextvars.clear_contextvars()
        correlation.bind(correlation_id)

        async def send_with_header(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"].append(
                    (correlation.HEADER.lower().encode(), correlation_id.encode())
                )
            await send(message)

        await self.app(scope, receive, send_with_header)


# Every route with a transaction has a caller: its identity goes to PostgreSQL with each
# transaction, so the tenant tables' policies hold even where a use case forgets to filter.
# FastAPI resolves `authenticated` once per request, for this and the route's `require` alike.
Caller = Annotated[Principal, Depends(authenticated)]


async def _request_transaction(request: Request, caller: Caller) -> AsyncIterator[AsyncSession]:
    async with request.app.state.database.transaction(tenant=Tenant.of(caller)) as session:
        yield session


async def _request_read(request: Request, caller: Caller) -> AsyncIterator[AsyncSession]:
    async with request.app.state.database.reading(tenant=Tenant.of(caller)) as session:
        yield session


# scope="function": the transaction commits before the response leaves, so a client never
# sees success for a write that then fails to commit.
DbSession = Annotated[AsyncSession, Depends(_request_transaction, scope="function")]
DbReadSession = Annotated[AsyncSession, Depends(_request_read, scope="function")]
"""For requests that only read: never waits for writers, never writes."""


def outbound_client(base_url: str, *, timeout: float = 5.0) -> httpx.AsyncClient:
    """An httpx client that forwards the current correlation id."""

    async def add_correlation(request: httpx.Request) -> None:
        request.headers[correlation.HEADER] = correlation.current()

    return httpx.AsyncClient(
        base_url=base_url, timeout=timeout, event_hooks={"request": [add_correlation]}
    )


JSON_MEDIA_TYPE = "application/json"
_ANYTHING = ("*/*", "application/*")


def negotiate_media_type(
    accept: str | None, offered: Sequence[str], *, rule: str | None, code: str
) -> str:
    """The first media type of `Accept` (in the client's order, ignoring weights) among
    `offered`; JSON (else the first offered) when the client takes anything; 406 otherwise."""
    for part in (accept or "*/*").split(","):
        media_type = part.split(";", 1)[0].strip().lower()
        if media_type in _ANYTHING:
            return JSON_MEDIA_TYPE if JSON_MEDIA_TYPE in offered else offered[0]
        if media_type in offered:
            return media_type
    raise NotAcceptable.for_rule(rule, code, f"Offered formats: {', '.join(offered)}")
