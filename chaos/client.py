"""Calls as GP and OCMW software make them against a platform whose parts come and go: a
connection refused, a request cut off or a 5xx is tried again after a pause, with the same
`Idempotency-Key` where the API takes one. Other answers go back to the caller."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Mapping
from typing import Any

import httpx

RETRY_STATUSES = frozenset({500, 502, 503, 504})
GIVE_UP_SECONDS = 300.0
FIRST_PAUSE, LONGEST_PAUSE = 0.1, 2.0


class GaveUpError(RuntimeError):
    """A call still failed after GIVE_UP_SECONDS of retries."""


class UnexpectedAnswerError(RuntimeError):
    """An answer the generator's flow does not expect (a refusal it did not provoke)."""


class RetryingClient:
    """One `httpx.AsyncClient` per service; counts what it had to retry, by kind."""

    def __init__(self, urls: Mapping[str, str]) -> None:
        self._clients = {
            name: httpx.AsyncClient(base_url=url, timeout=30.0) for name, url in urls.items()
        }
        self.retried: Counter[str] = Counter()

    async def close(self) -> None:
        await asyncio.gather(*(client.aclose() for client in self._clients.values()))

    async def call(
        self,
        service: str,
        method: str,
        path: str,
        *,
        headers: Mapping[str, str],
        json: Any = None,
        params: Mapping[str, Any] | None = None,
    ) -> httpx.Response:
        """The first answer that is neither a transport failure nor a 5xx. A call cut off after
        it was sent may have landed: the flows make the second try harmless (the same
        `Idempotency-Key`, or a domain rule that refuses the repeat, which they then check)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + GIVE_UP_SECONDS
        pause = FIRST_PAUSE
        while True:
            try:
                response = await self._clients[service].request(
                    method, path, headers=headers, json=json, params=params
                )
                if response.status_code not in RETRY_STATUSES:
                    return response
                self.retried[f"{service} {response.status_code}"] += 1
                failure = f"{response.status_code} {response.text[:300]}"
            except httpx.TransportError as error:
                self.retried[f"{service} {type(error).__name__}"] += 1
                failure = repr(error)
            if loop.time() > deadline:
                raise GaveUpError(f"{method} {service}{path}: still failing: {failure}")
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE)

    async def expect(
        self, status: int, service: str, method: str, path: str, **options: Any
    ) -> dict[str, Any]:
        response = await self.call(service, method, path, **options)
        return body_of(response, status)


def body_of(response: httpx.Response, status: int) -> dict[str, Any]:
    if response.status_code != status:
        raise UnexpectedAnswerError(
            f"{response.request.method} {response.request.url.path} answered "
            f"{response.status_code}, expected {status}: {response.text[:500]}"
        )
    body: dict[str, Any] = response.json()
    return body
