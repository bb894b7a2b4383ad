"""Rate limits on the routes that read or take a person's data, per caller and per address.

A GP's software that loops, or someone trying numbers, is answered `429` with `Retry-After`
before the route does any work; so is an address that keeps presenting bad tokens, before its
next token is even verified. The windows are moving windows (`limits`), kept in the process:
with several instances behind a balancer each allows its share.
"""

from __future__ import annotations

import math
import time
from typing import Annotated, Any

from fastapi import Depends, Request
from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

from servicekit.auth import Principal, authenticated
from servicekit.errors import ProblemItem, TooManyRequests
from servicekit.metrics import RATE_LIMIT_REFUSALS


class RateLimits:
    def __init__(
        self,
        *,
        per_identity: str,
        per_address: str,
        bad_tokens_per_address: str,
        service: str = "service",
    ) -> None:
        self._service = service
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._per_identity = parse(per_identity)
        self._per_address = parse(per_address)
        self._bad_tokens = parse(bad_tokens_per_address)

    async def take(self, route: str, *, identity: str, address: str) -> None:
        """Count one request on `route`, or raise 429 when either window is full."""
        await self._hit(self._per_address, route, address, code="rate.too_many_per_address")
        await self._hit(self._per_identity, route, identity, code="rate.too_many_per_caller")

    async def refuse_if_guessing(self, address: str) -> None:
        """429 for an address whose bad tokens filled their window."""
        if not await self._limiter.test(self._bad_tokens, "bad-token", address):
            raise await self._refusal(
                self._bad_tokens, "bad-token", address, code="auth.too_many_bad_tokens"
            )

    async def note_bad_token(self, address: str) -> None:
        await self._limiter.hit(self._bad_tokens, "bad-token", address)

    async def _hit(self, item: RateLimitItem, *keys: str, code: str) -> None:
        if not await self._limiter.hit(item, code, *keys):
            raise await self._refusal(item, code, *keys, code=code)

    async def _refusal(self, item: RateLimitItem, *keys: str, code: str) -> TooManyRequests:
        stats = await self._limiter.get_window_stats(item, *keys)
        retry_after = max(1, math.ceil(stats.reset_time - time.time()))
        RATE_LIMIT_REFUSALS.labels(service=self._service, code=code).inc()
        message = f"More than {item}: retry after {retry_after} s"
        return TooManyRequests(
            message,
            [ProblemItem(rule=None, code=code, message=message, field=None)],
            retry_after=retry_after,
        )


def rate_limited(route: str) -> Any:
    """A route dependency: counts the caller's request against the service's limits."""

    async def take(
        request: Request, principal: Annotated[Principal, Depends(authenticated)]
    ) -> None:
        limits: RateLimits | None = getattr(request.app.state, "rate_limits", None)
        if limits is not None:
            await limits.take(
                route,
                identity=f"{principal.role}:{principal.subject}",
                address=client_address(request),
            )

    return Depends(take)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
