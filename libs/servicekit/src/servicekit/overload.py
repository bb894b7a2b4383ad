"""Load shedding: a process works on a bounded number of requests and queues a bounded number more;
the rest are answered `503` with `Retry-After` at once, instead of piling up until clients time out.

A queued request waits at most `queue_seconds` for a place, then is answered the same way. The
probes (`/health`, `/ready`) and `/metrics` are never held back: an overloaded process is alive,
and says so.
"""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Receive, Scope, Send

from servicekit.errors import ProblemItem, ServiceUnavailable, problem_response

EXEMPT_PATHS = frozenset({"/health", "/ready", "/metrics"})


class LoadSheddingMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        *,
        max_concurrent: int,
        max_queued: int,
        queue_seconds: float,
        retry_after_seconds: int,
    ) -> None:
        self.app = app
        self._places = asyncio.Semaphore(max_concurrent) if max_concurrent > 0 else None
        self._max_queued = max_queued
        self._queued = 0
        self._queue_seconds = queue_seconds
        self._retry_after = retry_after_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        places = self._places
        if places is None or scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        if not await self._take_place(places):
            await self._shed(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            places.release()

    async def _take_place(self, places: asyncio.Semaphore) -> bool:
        if not places.locked():
            await places.acquire()
            return True
        if self._queued >= self._max_queued:
            return False
        self._queued += 1
        try:
            async with asyncio.timeout(self._queue_seconds):
                await places.acquire()
            return True
        except TimeoutError:
            return False
        finally:
            self._queued -= 1

    async def _shed(self, scope: Scope, receive: Receive, send: Send) -> None:
        refusal = ServiceUnavailable(
            "The service is busy; try again later",
            [ProblemItem(code="service.overloaded", message="Too many requests in progress")],
            retry_after=self._retry_after,
        )
        response = problem_response(
            refusal.to_problem(), headers={"Retry-After": str(self._retry_after)}
        )
        await response(scope, receive, send)
